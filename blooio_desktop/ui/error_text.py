"""Turns an expected failure (the core/errors.py tree) into one sentence a person can act on, and
makes the label that shows such a sentence inline.

Dialogs and docks show these inline; anything outside the tree is a bug and goes to the global
excepthook instead, so this module never has to guess.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from blooio_desktop.core.errors import (
    ApiError,
    BlooioError,
    ConnectionFailed,
    CredentialError,
    TunnelError,
    ValidationError,
)
from blooio_desktop.core.redact import redact


def inline_error(parent: QWidget | None = None, text: str = "") -> QLabel:
    """A wrapping label in the theme's error colour, for a sentence next to what went wrong."""
    label = QLabel(text, parent)
    label.setObjectName("InlineError")  # theme.py's stylesheet colours it
    label.setWordWrap(True)
    return label


def describe_error(exc: BaseException) -> str:
    """A short, specific, secret-free sentence for `exc`."""
    if isinstance(exc, ApiError):
        return _describe_api_error(exc)
    if isinstance(exc, ConnectionFailed):
        if exc.timeout:
            return "No network: the server did not answer in time. Check your connection and try again."
        return "No network: could not reach the server. Check your connection or the base URL."
    if isinstance(exc, TunnelError):
        return f"{exc.message} {exc.hint}" if exc.hint else exc.message
    if isinstance(exc, CredentialError | ValidationError):
        return exc.message
    if isinstance(exc, BlooioError):
        return redact(exc.message)
    return redact(f"Unexpected error: {exc}")


def _describe_api_error(exc: ApiError) -> str:
    if exc.status == 401:
        return "Invalid API key: Blooio rejected it (HTTP 401). Copy the whole key from your dashboard."
    if exc.status == 403 and exc.is_inbound_only:
        return "This number is reply-only: the contact has to message you first."
    if exc.status == 403:
        return "This API key is not allowed to do that (HTTP 403)."
    if exc.is_quota:
        return f"Plan limit reached: {redact(exc.message)}"
    if exc.status == 429:
        return "Too many requests: Blooio asked us to slow down. Try again in a moment."
    if exc.status == 404:
        return f"Not found: {redact(exc.message)}"
    if exc.status >= 500:
        return f"Blooio had a problem (HTTP {exc.status}): {redact(exc.message)}"
    return f"{redact(exc.message)} (HTTP {exc.status})"
