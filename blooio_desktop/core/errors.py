"""The one error tree. The UI maps each class to a human sentence; nothing here carries secrets."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

QUOTA_CODES = frozenset({"outbound_limit_reached", "new_conversation_limit_reached"})
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


class BlooioError(Exception):
    """Base of every error the app raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(BlooioError):
    """Bad input caught before anything was sent (a malformed number, an empty message...)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class ApiError(BlooioError):
    """A non-2xx answer from the Blooio API (or the sandbox), parsed from its error body."""

    def __init__(
        self,
        *,
        status: int,
        message: str,
        error: str | None = None,
        code: str | None = None,
        details: Mapping[str, Any] | None = None,
        retry_after: float | None = None,
        method: str | None = None,
        path: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.code = code
        self.details: dict[str, Any] = dict(details or {})
        self.retry_after = retry_after
        self.method = method
        self.path = path

    @property
    def is_quota(self) -> bool:
        """A plan quota 429: retrying cannot help until the quota resets."""
        return self.status == 429 and self.code in QUOTA_CODES

    @property
    def is_rate_limited(self) -> bool:
        return self.status == 429 and not self.is_quota

    @property
    def is_retryable(self) -> bool:
        """Transient: 408, 425, generic 429 and 5xx except 501 (not implemented) and 503 (no device)."""
        if self.status == 429:
            return not self.is_quota
        if self.status in (501, 503):
            return False
        return self.status in RETRYABLE_STATUSES or self.status >= 500

    @property
    def is_auth(self) -> bool:
        return self.status in (401, 403) and self.code != "inbound_only_no_prior_inbound"

    @property
    def is_not_found(self) -> bool:
        return self.status == 404

    @property
    def is_reply_target(self) -> bool:
        return bool(self.code and self.code.startswith("reply_target_"))

    @property
    def is_inbound_only(self) -> bool:
        return self.code == "inbound_only_no_prior_inbound"

    def __repr__(self) -> str:
        return f"ApiError(status={self.status}, error={self.error!r}, code={self.code!r}, message={self.message!r})"

    def __str__(self) -> str:
        where = f" ({self.method} {self.path})" if self.method and self.path else ""
        return f"{self.message} [HTTP {self.status}{', ' + self.code if self.code else ''}]{where}"


class ConnectionFailed(BlooioError):
    """The request never got an HTTP answer: DNS, refused, reset, TLS, or timeout."""

    def __init__(self, message: str, *, timeout: bool = False) -> None:
        super().__init__(message)
        self.timeout = timeout


class SignatureError(BlooioError):
    """A webhook whose signature is missing, malformed, wrong or outside the time tolerance."""

    def __init__(self, message: str, *, verdict: str) -> None:
        super().__init__(message)
        self.verdict = verdict


class StoreError(BlooioError):
    """The local database failed; `kind` says how, so the UI can tell the user what to do."""

    CORRUPT = "corrupt"
    LOCKED = "locked"
    FULL = "full"
    READ_ONLY = "read_only"
    OTHER = "other"

    def __init__(self, message: str, *, kind: str = OTHER) -> None:
        super().__init__(message)
        self.kind = kind


class CredentialError(BlooioError):
    """The OS keyring is missing, locked or refused; the message says what to install or unlock."""


class TunnelError(BlooioError):
    """The tunnel could not start or died; `hint` says what the user can do next."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class ConfigError(BlooioError):
    """A settings file or option that cannot be used as given."""
