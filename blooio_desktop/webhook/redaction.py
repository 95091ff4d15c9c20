"""Header redaction applied when a delivery is captured, so no view or export can leak a secret."""

from __future__ import annotations

from collections.abc import Iterable

REDACTED = "<redacted>"
SENSITIVE_HEADERS: frozenset[str] = frozenset(
    {
        "x-blooio-signature",
        "blooio-signature",
        "authorization",
        "proxy-authorization",
        "cookie",
        "x-api-key",
    }
)


def redact_headers(headers: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Keep every header name (so the inspector shows a signature was present) but hide secrets."""
    return tuple(
        (name, REDACTED if name.lower() in SENSITIVE_HEADERS else value) for name, value in headers
    )
