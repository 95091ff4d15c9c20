"""The one place an HTTP failure becomes an error of core/errors.py.

`error_from_response` turns any non-2xx answer (JSON or not) into an `ApiError`; `error_from_transport`
turns an httpx transport failure into `ConnectionFailed`. Neither ever copies request headers, so the
Authorization header cannot leak into an exception.
"""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from blooio_desktop.core.errors import ApiError, ConnectionFailed
from blooio_desktop.core.redact import redact

if TYPE_CHECKING:  # an error only exists once a request was made, and httpx loaded with it
    import httpx

_KNOWN_ERROR_FIELDS = frozenset({"error", "message", "status", "code"})
_SNIPPET_CHARS = 200


def parse_retry_after(headers: httpx.Headers, *, now: float | None = None) -> float | None:
    """Seconds to wait from `Retry-After` (delta-seconds or HTTP-date) or `retry-after-ms`, if given."""
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(0.0, float(millis) / 1000.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _json_object(response: httpx.Response) -> dict[str, Any] | None:
    try:
        data = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    return data if isinstance(data, dict) else None


def _text_snippet(response: httpx.Response) -> str:
    """A short, single-line excerpt of a non-JSON body (e.g. a proxy's HTML error page)."""
    text = response.content.decode("utf-8", errors="replace")
    return " ".join(text.split())[:_SNIPPET_CHARS]


def error_from_response(
    response: httpx.Response, *, method: str, path: str, secrets: Iterable[str] = ()
) -> ApiError:
    """Build the ApiError for a non-2xx response; tolerant of missing fields and non-JSON bodies."""
    status = response.status_code
    body = _json_object(response)
    retry_after = parse_retry_after(response.headers)
    secrets = tuple(secrets)
    if body is None:
        content_type = response.headers.get("content-type", "no content type").split(";")[0]
        snippet = _text_snippet(response)
        reason = response.reason_phrase or "error"
        message = (
            f"The server answered HTTP {status} {reason} with a non-JSON body ({content_type})"
        )
        if snippet:
            message += f": {snippet}"
        return ApiError(
            status=status,
            message=redact(message, secrets),
            retry_after=retry_after,
            method=method,
            path=path,
        )
    error = body.get("error") if isinstance(body.get("error"), str) else None
    code = body.get("code") if isinstance(body.get("code"), str) else None
    raw_message = body.get("message")
    if not isinstance(raw_message, str) or not raw_message.strip():
        raw_message = error.replace("_", " ").capitalize() if error else response.reason_phrase
    details = {k: v for k, v in body.items() if k not in _KNOWN_ERROR_FIELDS}
    return ApiError(
        status=status,
        message=redact(raw_message or f"HTTP {status}", secrets),
        error=error,
        code=code,
        details=details,
        retry_after=retry_after,
        method=method,
        path=path,
    )


def error_from_transport(
    exc: httpx.HTTPError, *, method: str, path: str, host: str
) -> ConnectionFailed:
    """A request that got no HTTP answer: refused, reset, DNS, TLS, or timed out."""
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        phase = "connecting to" if isinstance(exc, httpx.ConnectTimeout) else "waiting for"
        return ConnectionFailed(f"Timed out {phase} {host} ({method} {path}).", timeout=True)
    reason = str(exc).strip() or type(exc).__name__
    return ConnectionFailed(f"Could not reach {host} ({method} {path}): {redact(reason)}")
