"""Backfill whenever webhooks start reaching the app again, so nothing missed while down stays missing.

Webhooks are being received while connectivity is `registered` (Blooio has our webhook) or `verified`
(a delivery proved the path). Every other phase — stopped, listener/tunnel still coming up, degraded —
means deliveries are lost. Each move from not-receiving to receiving runs one `sync.backfill()`;
moving between receiving phases (registered → verified) does not. Backfills never overlap: a
reconnect during a running backfill runs exactly one more afterwards, since messages may have been
missed after the running one listed the chats.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Protocol

from blooio_desktop.core.errors import BlooioError
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.connectivity import ConnectivityState, Phase

log = logging.getLogger(__name__)
RECEIVING = frozenset({Phase.REGISTERED, Phase.VERIFIED})


class Backfiller(Protocol):
    """The slice of `SyncService` this uses."""

    async def backfill(self) -> int: ...


class BackfillOnReconnect:
    def __init__(self, bus: EventBus, sync: Backfiller) -> None:
        self._sync = sync
        self._receiving = False
        self._again = False
        self._task: asyncio.Task[None] | None = None
        self._unsubscribe = bus.subscribe(ConnectivityState, self._on_state)

    @property
    def running(self) -> bool:
        """True while a backfill (or the one queued behind it) is in progress."""
        return self._task is not None and not self._task.done()

    async def close(self) -> None:
        """Stop listening and cancel a backfill in progress (call before closing the database)."""
        self._unsubscribe()
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    def _on_state(self, state: ConnectivityState) -> None:
        receiving = state.phase in RECEIVING
        reconnected = receiving and not self._receiving
        self._receiving = receiving
        if not reconnected:
            return
        if self.running:
            self._again = True
            return
        self._task = asyncio.get_running_loop().create_task(
            self._run(), name="backfill-on-reconnect"
        )

    async def _run(self) -> None:
        while True:
            self._again = False
            try:
                count = await self._sync.backfill()  # publishes its BackfillReport
            except BlooioError as exc:
                # Offline again, or the store refused the write: the next reconnect tries again.
                log.warning("backfill after reconnect failed: %s", exc)
            except Exception:
                log.exception("backfill after reconnect failed")
            else:
                log.info("backfill after reconnect: %d new messages", count)
            if not self._again:
                return
