"""Items from the listener's serving thread to the app's loop: coalesced and bounded.

Waking the app's loop from another thread is the expensive part (under qasync, a queued Qt signal
then a timer, and the two threads trading the GIL), so a burst costs one wake-up: `put` finding the
queue empty schedules the wake-up for the end of the producer loop's current iteration, and `flush`
hands over everything queued by then in one call. A lone delivery to an idle app (the usual case:
a message now and then) wakes it at once, before the ack is written. `limit` bounds the items put but not yet reported
`done`: a producer that outruns the app waits in `room()` instead of queueing without end, which also
keeps the app's batches, and so its longest loop callbacks, small.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


class Handoff(Generic[T]):
    """A thread-safe queue whose consumer runs, batch by batch, on one asyncio loop."""

    def __init__(
        self, loop: asyncio.AbstractEventLoop, deliver: Callable[[list[T]], None], *, limit: int
    ) -> None:
        self._loop = loop
        self._deliver = deliver
        self._limit = limit
        self._lock = threading.Lock()
        self._queued: list[T] = []
        self._outstanding = 0  # put and not yet done: queued or being handled by the consumer
        self._waiting: list[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]] = []

    async def room(self) -> None:
        """Return once fewer than `limit` items are outstanding (call on the producer's loop)."""
        while self._outstanding >= self._limit:
            loop = asyncio.get_running_loop()
            waiter: asyncio.Future[None] = loop.create_future()
            with self._lock:
                if self._outstanding < self._limit:
                    return
                self._waiting.append((loop, waiter))
            await waiter

    def put(self, item: T) -> None:
        """Queue `item` (on the producer's loop); the consumer's loop is woken once per batch
        (at once when it is idle)."""
        with self._lock:
            self._queued.append(item)
            self._outstanding += 1
            first = len(self._queued) == 1
            idle = self._outstanding == 1
        if idle:  # the consumer has nothing else to do: wake it now, latency is all that counts
            self._wake()
        elif first:  # a burst: after whatever else this iteration decides, one wake-up for it all
            asyncio.get_running_loop().call_soon(self._wake)

    def _wake(self) -> None:
        try:
            self._loop.call_soon_threadsafe(self.flush)
        except RuntimeError:  # the app's loop is closed: nobody is left to hand on to
            log.warning("a webhook was acknowledged after the app's loop closed: not handed on")

    def flush(self) -> None:
        """Deliver everything queued so far (on the consumer's loop; a no-op when empty)."""
        with self._lock:
            batch, self._queued = self._queued, []
        if batch:
            self._deliver(batch)

    def done(self) -> None:
        """The consumer finished one item; wakes waiting producers once half the room is free."""
        with self._lock:
            self._outstanding -= 1
            if not self._waiting or self._outstanding > self._limit // 2:
                return
            waiting, self._waiting = self._waiting, []
        for loop, waiter in waiting:
            with contextlib.suppress(RuntimeError):  # that serving loop has already shut down
                loop.call_soon_threadsafe(_release, waiter)


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
