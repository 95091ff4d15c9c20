"""One dedicated writer thread, so the UI loop never waits on disk for a write — with group commit.

Every write is a job run on this thread, in the order submitted. Jobs that queue up while the thread
is busy are handed to the owner together (`run_batch`), which runs them in one transaction: a burst
of sends, receipts and inspector records costs one commit and one wake-up of the loop per batch,
not one of each per write. Results go back to each job's own loop with one `call_soon_threadsafe`
per batch: awaited (`run`) or, for a producer on another thread that must not wait, as a callback
(`submit`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Generic, TypeVar

from blooio_desktop.core.errors import StoreError

log = logging.getLogger(__name__)

J = TypeVar("J")
# Jobs per transaction: bounds how long the first job of a burst waits for its commit.
MAX_BATCH = 128
_IDLE_CHECK_S = 1.0  # how often an idle thread checks that the program is still running


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one job produced: its value, or the exception it (or its batch's commit) raised."""

    value: object = None
    error: BaseException | None = None


OnDone = Callable[[Outcome], None]


@dataclass(frozen=True, slots=True)
class _Queued(Generic[J]):
    job: J
    loop: asyncio.AbstractEventLoop
    on_done: OnDone  # runs on `loop`
    future: asyncio.Future[object] | None = None  # an awaited job: skipped once it is cancelled


RunBatch = Callable[[Sequence[J]], Sequence[Outcome]]


class WriterThread(Generic[J]):
    """Runs jobs one batch at a time, in submission order, on a single thread; awaited from asyncio."""

    def __init__(
        self,
        run_batch: RunBatch[J],
        *,
        name: str = "blooio-store-writer",
        max_batch: int = MAX_BATCH,
    ) -> None:
        self._run_batch = run_batch
        self._name = name
        self._max_batch = max(1, max_batch)
        self._queue: deque[_Queued[J]] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None

    async def run(self, job: J) -> object:
        """Queue `job`; returns its value once the batch it ran in is committed (or raises)."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[object] = loop.create_future()
        if not self._queue_job(_Queued(job, loop, partial(_settle, future), future)):
            raise _closed()
        return await future

    def submit(self, job: J, loop: asyncio.AbstractEventLoop, on_done: OnDone) -> None:
        """Queue `job` from any thread without waiting: `on_done(outcome)` runs on `loop` once its
        batch is committed (or failed, or refused because the thread is closed)."""
        if not self._queue_job(_Queued(job, loop, on_done)):
            with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits any more
                loop.call_soon_threadsafe(on_done, Outcome(error=_closed()))

    def _queue_job(self, queued: _Queued[J]) -> bool:
        with self._cond:
            if self._closed:
                return False
            self._queue.append(queued)
            if self._thread is None:
                self._thread = threading.Thread(target=self._work, name=self._name)
                self._thread.start()
            self._cond.notify()
        return True

    def close(self) -> None:
        """Finish the jobs already queued, then stop the thread."""
        with self._cond:
            self._closed = True
            self._cond.notify()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()

    def _work(self) -> None:
        while True:
            batch = self._next_batch()
            if batch is None:
                return
            live = [q for q in batch if q.future is None or not q.future.cancelled()]
            if live:
                self._deliver(live, self._outcomes([queued.job for queued in live]))

    def _next_batch(self) -> list[_Queued[J]] | None:
        """Wait for work; None once closed and drained (or the program's main thread has ended)."""
        with self._cond:
            while not self._queue:
                if self._closed or not threading.main_thread().is_alive():
                    return None
                self._cond.wait(_IDLE_CHECK_S)
            count = min(len(self._queue), self._max_batch)
            return [self._queue.popleft() for _ in range(count)]

    def _outcomes(self, jobs: list[J]) -> Sequence[Outcome]:
        try:
            outcomes = self._run_batch(jobs)
        except BaseException as exc:  # the batch runner itself failed: every job hears it
            return [Outcome(error=exc)] * len(jobs)
        if len(outcomes) != len(jobs):
            error = RuntimeError(f"{len(outcomes)} outcomes for {len(jobs)} write jobs")
            return [Outcome(error=error)] * len(jobs)
        return outcomes

    @staticmethod
    def _deliver(batch: list[_Queued[J]], outcomes: Sequence[Outcome]) -> None:
        by_loop: dict[asyncio.AbstractEventLoop, list[tuple[OnDone, Outcome]]] = {}
        for queued, outcome in zip(batch, outcomes, strict=True):
            by_loop.setdefault(queued.loop, []).append((queued.on_done, outcome))
        for loop, settled in by_loop.items():
            with contextlib.suppress(RuntimeError):  # that loop is closed: nobody waits any more
                loop.call_soon_threadsafe(_run_all, settled)


def _run_all(settled: list[tuple[OnDone, Outcome]]) -> None:
    for on_done, outcome in settled:
        try:
            on_done(outcome)
        except Exception:  # one broken callback must not leave the others' callers waiting
            log.exception("a store write's completion callback failed")


def _settle(future: asyncio.Future[object], outcome: Outcome) -> None:
    if future.done():  # cancelled while its batch ran
        return
    if outcome.error is not None:
        future.set_exception(outcome.error)
    else:
        future.set_result(outcome.value)


def _closed() -> StoreError:
    return StoreError("The message database is closed.", kind=StoreError.OTHER)
