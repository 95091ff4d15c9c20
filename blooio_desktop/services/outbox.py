"""Drains the outbox with bounded concurrency so each message the user sent exists exactly once.

Every item already carries its Idempotency-Key in the database before its first request; every attempt
(the client's own retries, a later round after backoff, a resend after a crash) uses that key, and the
server answers a repeated key with the original message. Retryable failures wait `next_attempt_at`
(persisted, so the wait survives restarts); non-retryable ones fail the item with the API's message.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
import time
from collections import deque
from collections.abc import Callable

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.core.errors import ApiError, BlooioError, ConnectionFailed, StoreError
from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import Direction, Message, OutboxItem, SendResult
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.events import StoreFailure
from blooio_desktop.store import Database, MessageRepository, OutboxRepository

log = logging.getLogger(__name__)
MAX_ROUND_DELAY_S = 300.0  # between two rounds of attempts, however many rounds failed
STORE_RETRY_S = 2.0
Write = Callable[[sqlite3.Connection], Changes]


class OutboxSender:
    def __init__(
        self,
        client: BlooioClient,
        db: Database,
        bus: EventBus,
        *,
        concurrency: int = 8,
        retry: RetryPolicy | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._db = db
        self._bus = bus
        self._concurrency = max(1, concurrency)
        self._retry = retry or RetryPolicy()
        self._clock = clock
        self._wake = asyncio.Event()
        self._settled = asyncio.Event()
        self._inflight: set[asyncio.Task[None]] = set()
        # Requests on the wire: what `concurrency` bounds. A finished request's outcome is saved
        # beside the next request, and the next item is already claimed (`_ready`: `sending` in the
        # store, so a restart resends it with its key), so a freed slot never waits for the store.
        self._requests = 0
        self._ready: deque[OutboxItem] = deque()
        self._stopping = False
        self._runner: asyncio.Task[None] | None = None

    @property
    def running(self) -> bool:
        return self._runner is not None and not self._runner.done()

    async def start(self) -> None:
        """Requeue what a crash left in flight (same keys), then start draining."""
        if self.running:
            return
        self._stopping = False
        self._publish(await self._db.write(lambda conn: OutboxRepository(conn).requeue_in_flight()))
        self._runner = asyncio.create_task(self._run(), name="outbox-sender")

    def wake(self) -> None:
        """Something was queued or reopened: look at the outbox now."""
        self._wake.set()

    async def stop(self) -> None:
        """Stop sending. Requests cut short, and items claimed but not sent yet, stay `sending` and are
        resent (same key) on the next start."""
        self._stopping = True
        self._ready.clear()
        tasks = [t for t in (self._runner, *self._inflight) if t is not None]
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._runner = None
        self._requests = 0  # a task cancelled before its first step never counted itself out

    async def drain(self) -> None:
        """Wait until nothing is pending or sending (every item sent or failed)."""
        while OutboxRepository(self._db.read()).unfinished():
            self._settled.clear()
            await self._settled.wait()

    async def _run(self) -> None:
        while True:
            self._wake.clear()
            self._fill_slots()
            wanted = 2 * self._concurrency - self._requests - len(self._ready)
            next_due: float | None = None
            if wanted > 0:  # every slot busy and one more item claimed for each
                claimed, next_due = await self._claim(wanted)
                if claimed:
                    self._publish(Changes(outbox=frozenset(i.idempotency_key for i in claimed)))
                self._ready.extend(claimed)
                self._fill_slots()
            delay = None
            if not self._ready and next_due is not None:
                delay = max(0.0, next_due - self._clock())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), delay)

    def _fill_slots(self) -> None:
        while self._ready and self._requests < self._concurrency and not self._stopping:
            self._spawn(self._ready.popleft())

    async def _claim(self, free: int) -> tuple[list[OutboxItem], float | None]:
        """Up to `free` due items, now `sending`; and when the next waiting one falls due (None: none
        waits) — read in the same transaction, so a wake-up costs one writer trip."""
        now = self._clock()

        def claim(conn: sqlite3.Connection) -> tuple[list[OutboxItem], float | None]:
            outbox = OutboxRepository(conn)
            return outbox.claim_due(now, free), outbox.next_due_at()

        try:
            return await self._db.write(claim)
        except StoreError as exc:
            self._bus.publish(StoreFailure(exc, "the outbox"))
            await asyncio.sleep(STORE_RETRY_S)  # a full or locked disk: do not spin, but try again
            return [], self._clock()

    def _spawn(self, item: OutboxItem) -> None:
        self._requests += 1
        task = asyncio.create_task(self._send(item), name=f"outbox-send-{item.idempotency_key}")
        self._inflight.add(task)

        def finished(done: asyncio.Task[None]) -> None:
            self._inflight.discard(done)
            self._wake.set()
            self._settled.set()

        task.add_done_callback(finished)

    async def _send(self, item: OutboxItem) -> None:
        try:
            outcome = await self._attempt(item)
        finally:  # the slot is free for the next item (another chat's: this one is still `sending`)
            self._requests -= 1
            self._fill_slots()
            self._wake.set()
        await self._save(outcome)

    async def _attempt(self, item: OutboxItem) -> Write:
        """One request with the item's key; returns the write that records how it went."""
        try:
            result = await self._client.send_message(
                item.chat_id,
                text=item.text,
                attachments=item.attachments,
                from_number=item.from_number,
                reply_to=item.reply_to,
                idempotency_key=item.idempotency_key,
            )
        except (ApiError, ConnectionFailed) as exc:
            if self._retry.should_retry(exc):
                return self._later(item, exc)
            return self._failed(item, exc.message)
        except BlooioError as exc:  # ValidationError: the item can never be sent as it is
            return self._failed(item, exc.message)
        return self._sent(item, result)

    def _later(self, item: OutboxItem, exc: BlooioError) -> Write:
        wait = min(self._retry.delay(max(0, item.attempts - 1), exc), MAX_ROUND_DELAY_S)
        next_at = self._clock() + wait
        log.info(
            "send %s will be retried in %.1fs: %s", item.idempotency_key, wait, type(exc).__name__
        )
        return lambda conn: OutboxRepository(conn).mark_retry(
            item.idempotency_key, exc.message, next_at
        )

    @staticmethod
    def _failed(item: OutboxItem, error: str) -> Write:
        def write(conn: sqlite3.Connection) -> Changes:
            changes = OutboxRepository(conn).mark_failed(item.idempotency_key, error)
            messages = MessageRepository(conn)
            return changes.merge(
                messages.apply_status(item.local_message_id, MessageStatus.FAILED, error=error)
            )

        return write

    @staticmethod
    def _sent(item: OutboxItem, result: SendResult) -> Write:
        server = Message(
            message_id=result.message_id,
            chat_id=item.chat_id,
            direction=Direction.OUTBOUND,
            status=result.status,
            internal_id=item.from_number,
        )

        def write(conn: sqlite3.Connection) -> Changes:
            changes = OutboxRepository(conn).mark_sent(item.idempotency_key, result.message_id)
            messages = MessageRepository(conn)
            return changes.merge(messages.rename(item.local_message_id, result.message_id, server))

        return write

    async def _save(self, write: Write) -> None:
        try:
            self._publish(await self._db.write(write))
        except StoreError as exc:
            # The item stays `sending`; the next start requeues it and the same key replays the result.
            self._bus.publish(StoreFailure(exc, "the outbox"))

    def _publish(self, changes: Changes) -> None:
        if not changes.empty:
            self._bus.publish(changes)
