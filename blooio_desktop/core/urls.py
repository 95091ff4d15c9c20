"""URLs the user or a config file hands us (API base URL, attachment links, webhook targets), checked once.

Shared by api/, config/ and the CLI, so every layer gives the same specific message for the same mistake.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from blooio_desktop.core.errors import ValidationError

DEFAULT_BASE_URL = "https://backend.blooio.com/v2/api"


def validate_http_url(url: object, *, what: str = "URL", field: str | None = None) -> str:
    """Return `url` stripped if it is an absolute http(s) URL with a host; otherwise say what is wrong."""
    if not isinstance(url, str) or not url.strip():
        raise ValidationError(f"The {what} is empty.", field=field)
    text = url.strip()
    if any(ch.isspace() for ch in text):
        raise ValidationError(f"The {what} “{text}” contains spaces.", field=field)
    try:
        parts = urlsplit(text)
        host = parts.hostname
        _ = parts.port  # raises ValueError on a port that is not a number
    except ValueError as exc:
        raise ValidationError(
            f"The {what} “{text}” is not a valid URL ({exc}).", field=field
        ) from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError(
            f"The {what} “{text}” must start with http:// or https://.", field=field
        )
    if not host:
        raise ValidationError(f"The {what} “{text}” has no host name.", field=field)
    return text


def normalize_base_url(url: object) -> str:
    """An API base URL without a trailing slash, e.g. `https://backend.blooio.com/v2/api`."""
    text = validate_http_url(url, what="API base URL", field="base_url")
    parts = urlsplit(text)
    if parts.query or parts.fragment:
        raise ValidationError(
            f"The API base URL “{text}” must not contain a query or fragment.", field="base_url"
        )
    return text.rstrip("/")
