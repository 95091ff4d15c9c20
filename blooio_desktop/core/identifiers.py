"""Phone numbers, emails and chat ids: validation with specific messages, and path encoding."""

from __future__ import annotations

import re
from urllib.parse import quote

from blooio_desktop.core.errors import ValidationError

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_EMAIL = re.compile(r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")
_GROUP = re.compile(r"^grp_[A-Za-z0-9]+$")
_PHONE_PUNCTUATION = re.compile(r"[\s().\-]")


def encode_path(value: str) -> str:
    """Percent-encode one path segment completely (`+`→%2B, `@`→%40, `,`→%2C)."""
    return quote(value, safe="")


def is_e164(value: str) -> bool:
    return bool(_E164.match(value))


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def is_group_id(value: str) -> bool:
    return bool(_GROUP.match(value))


def normalize_phone(raw: str) -> str:
    """Turn what a person types ("+1 (555) 123-4567") into E.164, or raise a specific error."""
    text = raw.strip()
    if not text:
        raise ValidationError("Enter a phone number or email address.", field="recipient")
    compact = _PHONE_PUNCTUATION.sub("", text)
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if not compact.startswith("+"):
        raise ValidationError(
            f"“{text}” needs a country code: phone numbers are written in E.164 form, e.g. +15551234567.",
            field="recipient",
        )
    digits = compact[1:]
    if not digits.isdigit():
        raise ValidationError(f"“{text}” contains characters that are not digits.", field="recipient")
    if digits.startswith("0"):
        raise ValidationError(f"“{text}”: a country code never starts with 0.", field="recipient")
    if len(digits) < 7:
        raise ValidationError(f"“{text}” is too short to be a phone number.", field="recipient")
    if len(digits) > 15:
        raise ValidationError(
            f"“{text}” is too long: E.164 numbers have at most 15 digits.", field="recipient"
        )
    return compact


def normalize_handle(raw: str) -> str:
    """A single recipient: an email (lower-cased) or a phone number in E.164."""
    text = raw.strip()
    if "@" in text:
        if not is_email(text):
            raise ValidationError(f"“{text}” is not a valid email address.", field="recipient")
        return text.lower()
    return normalize_phone(text)


def normalize_chat_id(raw: str) -> str:
    """A chat id: a group id, one handle, or a comma-separated list of handles (ad-hoc group)."""
    text = raw.strip()
    if is_group_id(text):
        return text
    if text.startswith("grp_"):
        raise ValidationError(f"“{text}” is not a valid group id (grp_ followed by letters and digits).")
    parts = [p for p in (s.strip() for s in text.split(",")) if p]
    if not parts:
        raise ValidationError("Enter a phone number or email address.", field="recipient")
    return ",".join(normalize_handle(p) for p in parts)
