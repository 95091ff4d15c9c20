"""Items from the listener's serving loop to a sink: coalesced and bounded.

A burst costs one hand-over: `put` finding the queue empty schedules `flush` for the end of the serving
loop's current iteration, and `flush` hands over everything queued by then in one call. A lone item
with nothing else outstanding (the usual case: a message now and then) is handed over at once, before
its ack is written: latency is all that counts then. `limit` bounds the items put but not yet reported
`done`: a producer that outruns the sink waits in `room()` instead of queueing without end, which
also keeps the sink's batches, and so its longest steps, small.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

_Waiter = tuple[Callable[[int], bool], asyncio.AbstractEventLoop, asyncio.Future[None]]


class Handoff(Generic[T]):
    """A thread-safe queue whose items reach `deliver` in batches, in the order they were put."""

    def __init__(self, deliver: Callable[[list[T]], None], *, limit: int) -> None:
        self._deliver = deliver
        self._limit = limit
        self._lock = threading.Lock()
        self._queued: list[T] = []
        self._outstanding = 0  # put and not yet done: queued or being handled by the sink
        self._waiting: list[_Waiter] = []

    async def room(self) -> None:
        """Return once fewer than `limit` items are outstanding (call on the producer's loop); a
        producer that had to wait resumes once half the room is free."""
        while self._outstanding >= self._limit:
            await self._until(lambda outstanding: outstanding <= self._limit // 2)

    async def drained(self) -> None:
        """Return once every item put so far is done (call on any loop)."""
        while self._outstanding:
            await self._until(lambda outstanding: outstanding == 0)

    def put(self, item: T) -> None:
        """Queue `item` (on the producer's loop): handed over at once when nothing else is
        outstanding, else with the rest of this loop iteration's items."""
        with self._lock:
            self._queued.append(item)
            self._outstanding += 1
            first = len(self._queued) == 1
            idle = self._outstanding == 1
        if idle:
            self.flush()
        elif first:
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self) -> None:
        """Hand over everything queued so far (on any thread; a no-op when empty)."""
        with self._lock:
            batch, self._queued = self._queued, []
        if batch:
            self._deliver(batch)

    def done(self, count: int = 1) -> None:
        """The sink finished `count` items (any thread); wakes whoever waits for that."""
        with self._lock:
            self._outstanding -= count
            if not self._waiting:
                return
            outstanding = self._outstanding
            ready = [w for w in self._waiting if w[0](outstanding)]
            self._waiting = [w for w in self._waiting if not w[0](outstanding)]
        for _, loop, waiter in ready:
            with contextlib.suppress(RuntimeError):  # that loop has already shut down
                loop.call_soon_threadsafe(_release, waiter)

    async def _until(self, wakes: Callable[[int], bool]) -> None:
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        with self._lock:
            if wakes(self._outstanding):
                return
            self._waiting.append((wakes, loop, waiter))
        await waiter


def _release(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)
