"""A sink that runs plain callbacks on an asyncio loop: `on_event`, then `on_delivery`, per delivery.

For the command line and tests, where a function per delivery is all that is wanted; the app's own
sink writes whole batches to the store instead (`services.webhook_intake`).
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import replace

from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.webhook.sink import Acked

log = logging.getLogger(__name__)

OnEvent = Callable[[WebhookEvent], Awaitable[object] | None]  # a result is ignored
OnDelivery = Callable[[WebhookDelivery], Awaitable[object] | None]


class LoopCallbacks:
    """Each delivery in an owned task on `loop`, started in the order decided: a handler's failure
    becomes the delivery's note; the delivery (with `processing_ms`) then goes to `on_delivery`."""

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        on_event: OnEvent | None,
        on_delivery: OnDelivery | None,
    ) -> None:
        self._loop = loop
        self._on_event = on_event
        self._on_delivery = on_delivery
        self._tasks: set[asyncio.Task[None]] = set()

    def take(self, batch: list[Acked], done: Callable[[int], None]) -> None:
        try:
            self._loop.call_soon_threadsafe(self._start, batch, done)
        except RuntimeError:  # the loop is closed: nobody is left to hand on to
            log.warning("%d webhooks were acknowledged after the app's loop closed", len(batch))
            done(len(batch))

    def cancel(self) -> None:
        """Give up on deliveries still being handled (a handler that hangs at shutdown)."""
        for task in self._tasks:
            task.cancel()

    def _start(self, batch: list[Acked], done: Callable[[int], None]) -> None:
        # One task per delivery: handlers may batch whatever is submitted in one loop turn, so the
        # deliveries must not wait for each other.
        def finished(task: asyncio.Task[None]) -> None:
            self._tasks.discard(task)
            done(1)

        for acked in batch:
            task = self._loop.create_task(self._hand_on(acked))
            self._tasks.add(task)
            task.add_done_callback(finished)

    async def _hand_on(self, acked: Acked) -> None:
        draft, event = acked.delivery, acked.event
        note = draft.note
        if event is not None and self._on_event is not None:
            try:
                await _maybe_await(self._on_event(event))
            except Exception as exc:
                log.exception("webhook event handler failed for %s", event.event)
                note = f"handler failed: {type(exc).__name__}: {exc}"
        delivery = replace(draft, processing_ms=(time.time() - draft.received_at) * 1000, note=note)
        if self._on_delivery is not None:
            try:
                await _maybe_await(self._on_delivery(delivery))
            except Exception:
                log.exception("recording a webhook delivery failed")


async def _maybe_await(result: Awaitable[object] | None) -> None:
    if inspect.isawaitable(result):
        await result
