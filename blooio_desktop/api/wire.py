"""Lenient readers for JSON values: what api/schemas.py builds every model from.

A field of the wrong type reads as missing (None or a default) instead of raising, because the server
adds and changes fields often; only a missing id is an error (`required`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from blooio_desktop.core.errors import ApiError
from blooio_desktop.core.lenient import as_int as as_int  # re-exported for api/schemas.py
from blooio_desktop.core.lenient import as_str as as_str
from blooio_desktop.core.models import Direction

Json = Mapping[str, Any]


def invalid_response(what: str) -> ApiError:
    """The server said 2xx but the body is unusable (not JSON, or an object without its id)."""
    return ApiError(
        status=200, error="invalid_response", message=f"Unexpected answer from the server: {what}"
    )


def obj(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def as_bool(value: object, default: bool = False) -> bool:
    return value if isinstance(value, bool) else default


def first_str(data: Json, *keys: str) -> str | None:
    for key in keys:
        value = as_str(data.get(key))
        if value:
            return value
    return None


def required(data: Json, what: str, *keys: str) -> str:
    value = first_str(data, *keys)
    if value is None:
        raise invalid_response(f"{what} without “{keys[0]}”")
    return value


def as_direction(value: object) -> Direction | None:
    try:
        return Direction(value) if isinstance(value, str) else None
    except ValueError:
        return None


def iso_time(value: object) -> str | None:
    """`last_active` is ISO-8601 on /me/numbers but milliseconds on /me devices: keep one form."""
    millis = as_int(value) if not isinstance(value, str) else None
    if millis is not None:
        return datetime.fromtimestamp(millis / 1000, tz=UTC).isoformat().replace("+00:00", "Z")
    return as_str(value)


def error_text(value: object) -> str | None:
    if isinstance(value, dict):
        return first_str(value, "message", "error", "code")
    return as_str(value)
