"""Where the listener's acknowledged deliveries go next: a sink, called on the serving thread.

The listener decides and acknowledges every request on its own thread, then hands the deliveries to a
sink in batches, in the order they were decided. The sink chooses the thread that handles them: the
app's sink queues one store write per batch straight to the writer thread (the UI loop only hears the
result); `LoopCallbacks` runs plain per-delivery callbacks on an asyncio loop.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.core.models import WebhookDelivery


@dataclass(frozen=True, slots=True)
class Acked:
    """One acknowledged delivery: its record as drafted when the answer was decided, and the event
    to apply when it is new, verified and known (else None)."""

    delivery: WebhookDelivery
    event: WebhookEvent | None


class DeliverySink(Protocol):
    def take(self, batch: list[Acked], done: Callable[[int], None]) -> None:
        """Called on the serving thread; must not block. Call `done(n)` (from any thread) as `n` of
        the batch are fully handled: the listener keeps only so many outstanding."""
