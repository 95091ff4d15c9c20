"""The app's webhook sink: what the listener acknowledged → one store transaction → the bus.

`take` runs on the listener's serving thread and only queues a write on the store's writer thread,
so a delivery reaches the disk without waiting for the UI loop. Whatever is taken while that write
waits or runs goes into the next one, so however the deliveries arrive, each write carries everything
pending and the UI loop hears once per write, when it is committed: the merged `Changes` of its
events, then each delivery for the inspector. In that one transaction the events are merged
(`apply_events`) and every delivery is recorded with the outcome. An event the merge refuses (a bug, not a store failure) is undone alone and noted on its
delivery; a store that refuses the transaction (disk full) is published as `StoreFailure`, and what
was lost comes back with the next backfill.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import partial

from blooio_desktop.core.errors import StoreError
from blooio_desktop.core.events import Changes, WebhookEvent
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.events import StoreFailure
from blooio_desktop.services.ingest import apply_event, apply_events
from blooio_desktop.services.inspector import InspectorService
from blooio_desktop.store.database import Database, savepoint
from blooio_desktop.store.executor import Outcome
from blooio_desktop.webhook.sink import Acked

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class _Taken:
    """What one write carries: the deliveries, and whom to tell once each handed-over batch is done."""

    deliveries: list[Acked]
    done: list[tuple[Callable[[int], None], int]]


@dataclass(frozen=True, slots=True)
class _Written:
    changes: Changes
    deliveries: list[WebhookDelivery]  # with their ids


class WebhookIntake:
    """`loop` is where results are published (the app's); `observe` sees every delivery there,
    saved or not (the connectivity check waits for its own signed ping)."""

    def __init__(
        self,
        db: Database,
        bus: EventBus,
        inspector: InspectorService,
        *,
        loop: asyncio.AbstractEventLoop,
        observe: Callable[[WebhookDelivery], None] | None = None,
    ) -> None:
        self._db = db
        self._bus = bus
        self._inspector = inspector
        self._loop = loop
        self._observe = observe
        self._lock = threading.Lock()
        self._pending = _Taken([], [])
        self._write_queued = False

    def take(self, batch: list[Acked], done: Callable[[int], None]) -> None:
        """The listener's hand-over (serving thread): joins the next write, never waits for it."""
        with self._lock:
            self._pending.deliveries.extend(batch)
            self._pending.done.append((done, len(batch)))
            if self._write_queued:
                return
            self._write_queued = True
        taken: list[_Taken] = []
        self._db.submit(
            partial(self._write_pending, taken), loop=self._loop, on_done=partial(self._written, taken)
        )

    def _write_pending(self, taken: list[_Taken], conn: sqlite3.Connection) -> _Written:
        """On the writer thread, inside the transaction: everything taken until now."""
        taken.append(self._claim())
        return self._write(taken[0].deliveries, conn)

    def _claim(self) -> _Taken:
        with self._lock:
            pending, self._pending = self._pending, _Taken([], [])
            self._write_queued = False
        return pending

    def _write(self, batch: list[Acked], conn: sqlite3.Connection) -> _Written:
        events = [acked.event for acked in batch if acked.event is not None]
        notes: dict[int, str] = {}
        try:
            with savepoint(conn, "intake_events"):
                changes = apply_events(conn, events)
        except Exception:  # one event the merge refuses must not cost the others: each alone
            changes, notes = _one_by_one(conn, batch)
        now = time.time()
        deliveries = [
            replace(
                acked.delivery,
                processing_ms=(now - acked.delivery.received_at) * 1000,
                note=notes.get(n, acked.delivery.note),
            )
            for n, acked in enumerate(batch)
        ]
        ids = self._inspector.insert(conn, deliveries)
        stored = [replace(d, id=new_id) for d, new_id in zip(deliveries, ids, strict=True)]
        return _Written(changes, stored)

    def _written(self, taken: list[_Taken], outcome: Outcome) -> None:
        """On the app's loop, once the transaction is committed (or failed)."""
        # Refused before it ran (the store is closed, or BEGIN failed): what it would have carried.
        [carried] = taken or [self._claim()]
        try:
            if isinstance(outcome.value, _Written):
                self._publish(outcome.value)
            else:
                self._refused(carried.deliveries, outcome.error)
        finally:
            for done, count in carried.done:
                done(count)

    def _publish(self, written: _Written) -> None:
        if not written.changes.empty:
            self._bus.publish(written.changes)
        self._observe_all(written.deliveries)
        self._inspector.recorded(written.deliveries)

    def _refused(self, batch: list[Acked], error: BaseException | None) -> None:
        if isinstance(error, StoreError):
            log.warning("could not save %d webhook deliveries: %s", len(batch), error.kind)
            self._bus.publish(StoreFailure(error, "incoming messages"))
        else:
            log.error("could not save %d webhook deliveries", len(batch), exc_info=error)
        self._observe_all([acked.delivery for acked in batch])

    def _observe_all(self, deliveries: Sequence[WebhookDelivery]) -> None:
        if self._observe is not None:
            for delivery in deliveries:
                self._observe(delivery)


def _one_by_one(conn: sqlite3.Connection, batch: list[Acked]) -> tuple[Changes, dict[int, str]]:
    """Each event in its own savepoint; returns the merged changes and a note per refused one."""
    changes = Changes()
    notes: dict[int, str] = {}
    for n, acked in enumerate(batch):
        event: WebhookEvent | None = acked.event
        if event is None:
            continue
        try:
            with savepoint(conn, "intake_event"):
                changes = changes.merge(apply_event(conn, event))
        except Exception as exc:
            if not conn.in_transaction:  # the store lost the transaction: nothing here can stand
                raise
            log.exception("could not apply the webhook event %s", event.event)
            notes[n] = f"handler failed: {type(exc).__name__}: {exc}"
    return changes, notes
