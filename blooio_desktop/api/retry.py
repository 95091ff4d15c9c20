"""When and how long to wait before retrying a failed API call (blooio-api.md §4).

Retried: transport failures, 408, 425, generic 429 and 5xx except 501/503 (see `ApiError.is_retryable`).
Never retried: quota 429s and other 4xx. Backoff is exponential with full jitter; a server's
`Retry-After` wins but is capped, so a hostile or buggy header cannot stall the app for hours.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from blooio_desktop.core.errors import ApiError, BlooioError, ConnectionFailed, ValidationError

# Statuses that prove the server did not act on the request, so even a non-idempotent call may be retried.
_NOT_PROCESSED_STATUSES = frozenset({408, 425, 429})


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    max_retries: int = 3
    base_delay: float = 0.5
    max_delay: float = 20.0
    max_retry_after: float = 60.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False)
    jitter: Callable[[], float] = field(default=random.random, compare=False)  # in [0, 1)

    def __post_init__(self) -> None:
        if self.max_retries < 0:
            raise ValidationError("max_retries cannot be negative.", field="max_retries")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValidationError("Retry delays cannot be negative.", field="retry")

    def should_retry(self, exc: BlooioError, *, replay_safe: bool = True) -> bool:
        """Whether another attempt can help. `replay_safe` is False for a call that must not run twice
        (a POST without an Idempotency-Key): it is then retried only when the server surely did not act.
        """
        if isinstance(exc, ApiError):
            if not exc.is_retryable:
                return False
            return replay_safe or exc.status in _NOT_PROCESSED_STATUSES
        if isinstance(exc, ConnectionFailed):
            return replay_safe
        return False

    def delay(self, retry_index: int, exc: BlooioError) -> float:
        """Seconds to wait before retry number `retry_index` (0 = the first retry)."""
        if isinstance(exc, ApiError) and exc.retry_after is not None:
            return min(exc.retry_after, self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * 2.0**retry_index)
        return self.jitter() * ceiling
