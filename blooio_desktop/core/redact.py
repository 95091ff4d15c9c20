"""Secret masking for anything that may reach a log, an error message or the screen.

`redact()` masks registered secrets plus anything shaped like a credential (`Bearer …`, `whsec_…`,
`bl_live_…`, `sk_live_…`); `SecretFilter` applies it to every log record passing a handler or logger.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

MASK = "***"
# A secret shorter than this is not masked by value: masking "ab" would shred every log line.
MIN_SECRET_LENGTH = 6

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)\b(bearer)\s+[^\s,;\"']+"), r"\1 " + MASK),
    (re.compile(r"\bwhsec_[A-Za-z0-9_\-+/=]+"), "whsec_" + MASK),
    (re.compile(r"\b(bl|sk)_(live|test)_[A-Za-z0-9_\-]+"), r"\1_\2_" + MASK),
)


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with every known secret and every credential-shaped token replaced by ***."""
    # Longest first, so a secret that contains another one is masked whole.
    for secret in sorted(
        {s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True
    ):
        text = text.replace(secret, MASK)
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


class SecretFilter(logging.Filter):
    """Masks secrets in a record's message, traceback and stack before any handler formats it.

    Attach it to handlers (it then covers records from every logger). It never drops a record.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        for secret in secrets:
            self.add(secret)

    def add(self, secret: str | None) -> None:
        """Register a secret (an API key read at startup, a webhook secret just created…)."""
        if secret:
            self._secrets.add(secret)

    def discard(self, secret: str | None) -> None:
        if secret:
            self._secrets.discard(secret)

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad %-format: let the handler report it as logging always does
            return True
        record.msg = redact(message, self._secrets)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self._secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self._secrets)
        return True
