"""Message status with a total order, so receipts that arrive late or twice never regress a message."""

from __future__ import annotations

from enum import StrEnum


class MessageStatus(StrEnum):
    """Every status the v2 API or its webhooks use (blooio-api.md §1)."""

    PENDING = "pending"
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    RECEIVED = "received"
    FAILED = "failed"
    CANCELLATION_REQUESTED = "cancellation_requested"
    CANCELLED = "cancelled"

    @classmethod
    def parse(cls, value: object, default: MessageStatus | None = None) -> MessageStatus:
        """Lenient parse: unknown or missing values fall back to `default` (or PENDING)."""
        if isinstance(value, cls):
            return value
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        return default if default is not None else cls.PENDING

    @property
    def rank(self) -> int:
        """Position on the forward-only path pending < queued < sent < delivered < read."""
        return _RANK[self]

    @property
    def is_terminal(self) -> bool:
        return self in (MessageStatus.FAILED, MessageStatus.CANCELLED, MessageStatus.READ)


_RANK: dict[MessageStatus, int] = {
    MessageStatus.PENDING: 0,
    MessageStatus.QUEUED: 1,
    MessageStatus.CANCELLATION_REQUESTED: 1,
    MessageStatus.SENT: 2,
    MessageStatus.FAILED: 2,
    MessageStatus.CANCELLED: 2,
    MessageStatus.DELIVERED: 3,
    MessageStatus.RECEIVED: 3,
    MessageStatus.READ: 4,
}


def merge_status(current: MessageStatus, incoming: MessageStatus, *, retried: bool = False) -> MessageStatus:
    """The status a message ends with when `incoming` is reported for a message at `current`.

    Status only moves forward (queued < sent < delivered < read). `failed` is terminal unless the
    message is explicitly retried, and cannot undo a delivery that was already confirmed.
    """
    if current == incoming:
        return current
    if current in (MessageStatus.FAILED, MessageStatus.CANCELLED) and not retried:
        return current
    if incoming in (MessageStatus.FAILED, MessageStatus.CANCELLED):
        return incoming if current.rank < MessageStatus.DELIVERED.rank or retried else current
    return incoming if incoming.rank > current.rank or retried else current
