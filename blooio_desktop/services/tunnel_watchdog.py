"""The connectivity service's supervisor: a small task that runs one health check every interval.

The check itself (`ConnectivityService.supervise`) knows what "healthy" means; this task only owns
the timing. While checks report trouble the pause doubles up to `max_backoff`, so a dead agent or a
network outage is retried quickly at first and then without hammering anything; one healthy check
resets it. `stop()` lets a check in progress finish (it may be restarting the ngrok agent, which must
not be left half-started) and then ends the task.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_S = 15.0
DEFAULT_MAX_BACKOFF_S = 300.0


class TunnelWatchdog:
    """Calls `check()` (True = healthy) every `interval` seconds, backing off while it fails."""

    def __init__(
        self,
        check: Callable[[], Awaitable[bool]],
        *,
        interval: float = DEFAULT_INTERVAL_S,
        max_backoff: float = DEFAULT_MAX_BACKOFF_S,
    ) -> None:
        if interval <= 0:
            raise ValueError("the watchdog interval must be positive")
        self._check = check
        self._interval = interval
        self._max_backoff = max(max_backoff, interval)
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def start(self) -> None:
        """Start supervising on the running loop; a no-op while already running."""
        if self.running:
            return
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run(), name="tunnel-watchdog")

    async def stop(self) -> None:
        if self._task is None:
            return
        self._stopping.set()
        task, self._task = self._task, None
        await task

    async def _run(self) -> None:
        delay = self._interval
        while not await self._stop_requested_within(delay):
            try:
                healthy = await self._check()
            except Exception:  # a supervisor must outlive any one failed check
                log.exception("the tunnel health check failed")
                healthy = False
            delay = self._interval if healthy else min(delay * 2, self._max_backoff)

    async def _stop_requested_within(self, seconds: float) -> bool:
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True
