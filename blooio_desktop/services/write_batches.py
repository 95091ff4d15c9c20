"""Many small writes as a few store jobs: what is submitted in one loop turn, or while the previous
batch is being written, goes to the writer thread as one batch (up to `max_batch` items).

Each submitter awaits its own share of the batch's result; when the batch fails, every submitter
hears the error. Items whose submitter gave up (cancelled) are still written.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from blooio_desktop.store import Database

T = TypeVar("T")  # what is submitted
B = TypeVar("B")  # what one batch's write returns
R = TypeVar("R")  # what each submitter gets back


class WriteBatches(Generic[T, B, R]):
    def __init__(
        self,
        db: Database,
        write: Callable[[sqlite3.Connection, list[T]], B],
        settle: Callable[[list[T], B], Sequence[R]],
        *,
        max_batch: int,
        failed: Callable[[list[T], Exception], None] | None = None,
    ) -> None:
        """`write` runs in the store transaction; `settle` (on the loop) publishes what the batch
        changed and returns one result per item; `failed` reports a batch the store refused."""
        self._db = db
        self._write = write
        self._settle = settle
        self._failed = failed
        self._max_batch = max_batch
        self._queued: list[tuple[T, asyncio.Future[R]]] = []
        self._drainer: asyncio.Task[None] | None = None

    async def submit(self, item: T) -> R:
        future: asyncio.Future[R] = asyncio.get_running_loop().create_future()
        self._queued.append((item, future))
        if self._drainer is None or self._drainer.done():
            self._drainer = asyncio.create_task(self._drain())
        return await future

    async def flush(self) -> None:
        """Return once everything submitted so far is written (or has failed)."""
        if self._drainer is not None:
            await asyncio.gather(self._drainer, return_exceptions=True)

    def _job(self, items: list[T]) -> Callable[[sqlite3.Connection], B]:
        return lambda conn: self._write(conn, items)

    async def _drain(self) -> None:
        # A new task first runs on the loop's next turn: everything submitted in this turn joins.
        while self._queued:
            batch = self._queued[: self._max_batch]
            del self._queued[: self._max_batch]
            items = [item for item, _ in batch]
            try:
                written = await self._db.write(self._job(items))
            except Exception as exc:  # every submitter must hear about it, or it waits forever
                if self._failed is not None:
                    self._failed(items, exc)
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                continue
            for (_, future), result in zip(batch, self._settle(items, written), strict=True):
                if not future.done():
                    future.set_result(result)
