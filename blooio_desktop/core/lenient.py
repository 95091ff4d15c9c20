"""Lenient readers for scalar JSON values, shared by every parser of Blooio's payloads.

The API's responses (api/wire.py) and its webhooks (webhook/events.py) both carry numbers that may
arrive as strings and fields that may change type; a value of the wrong type reads as missing (None)
instead of raising. Python's JSON parser also admits NaN and Infinity, which must not crash `int()`.
"""

from __future__ import annotations

import math

_MAX_INT = 2**63  # SQLite's INTEGER range; anything larger is not a real id, size or timestamp


def as_str(value: object) -> str | None:
    """A string (lone surrogates replaced), or a number written as one (booleans excluded)."""
    if isinstance(value, str):
        return without_lone_surrogates(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def without_lone_surrogates(text: str) -> str:
    """JSON may carry half an emoji (`"\\ud83d"`); such a string cannot be encoded as UTF-8 (SQLite,
    logs, the wire), so each lone surrogate becomes U+FFFD and the rest of the text is kept."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def as_int(value: object) -> int | None:
    """An integer, a finite float (truncated), or a numeric string such as " 42" or "1.5e3"."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, float) and math.isfinite(value) and abs(value) < _MAX_INT:
        return int(value)
    return None
