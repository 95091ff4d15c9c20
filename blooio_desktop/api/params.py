"""Request paths and query strings: every path segment percent-encoded, every parameter checked.

Chat and contact ids (`+1555…`, emails, `grp_…`, comma lists) always go through `encode_path`, so a
`+` can never turn into a space on the server (blooio-api.md §1).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.identifiers import encode_path

MAX_PAGE_SIZE = 200


def build_path(*segments: str | int) -> str:
    """`build_path("chats", "+1555", "messages")` → `/chats/%2B1555/messages`."""
    return "/" + "/".join(encode_path(str(segment)) for segment in segments)


def require_id(value: object, what: str) -> str:
    """A path id given by a caller: a non-empty string (ids are opaque, so nothing more is checked)."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"The {what} is empty.", field=what.replace(" ", "_"))
    return value.strip()


def choice(value: str | None, allowed: Collection[str], what: str) -> str | None:
    """`value` if it is one of `allowed` (or None); otherwise name the accepted values."""
    if value is None or value in allowed:
        return value
    options = ", ".join(sorted(allowed))
    raise ValidationError(f"{what} must be one of {options} (got “{value}”).", field=what)


def page_params(limit: int, offset: int) -> dict[str, int]:
    """`limit`/`offset` for a list call; the API accepts 1–200 items per page."""
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE_SIZE:
        raise ValidationError(
            f"Page size must be a whole number from 1 to {MAX_PAGE_SIZE} (got {limit!r}).",
            field="limit",
        )
    if isinstance(offset, bool) or not isinstance(offset, int) or offset < 0:
        raise ValidationError(
            f"Offset must be a whole number ≥ 0 (got {offset!r}).", field="offset"
        )
    return {"limit": limit, "offset": offset}


def timestamp_ms(value: int | None, what: str) -> int | None:
    """A millisecond epoch timestamp parameter (`since`, `until`, `valid_until`…)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"{what} must be a time in milliseconds since 1970 (got {value!r}).", field=what
        )
    return value


def http_status(value: int | None) -> int | None:
    """An HTTP status code filter (e.g. webhook logs with `status=500`)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 100 <= value <= 599:
        raise ValidationError(
            f"An HTTP status is a number from 100 to 599 (got {value!r}).", field="status"
        )
    return value


def query(**params: Any) -> dict[str, Any]:
    """Drop unset parameters so the server applies its own defaults."""
    return {key: value for key, value in params.items() if value is not None}
