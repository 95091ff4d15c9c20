"""Webhook receivers on a qasync loop, as benchmarked: the app's full path and the bare peer.

`AppReceiver` is wired like `session.py` wires the app: `WebhookListener` (verify, dedupe, ack) →
`WebhookIntake` (one SQLite transaction per batch on the writer thread: events merged, every delivery
recorded for the inspector) → `EventBus` → `BusBridge` → `ChatListModel`. `BareReceiver` is the floor: an aiohttp handler that
reads the body, parses it and emits a Qt signal. Both stamp `time.monotonic()` when the Qt side has
seen each message, so the benchmark can join that with the load generator's send times.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

import httpx
import qasync
from aiohttp import web
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from bench.common import ROOT, Report, bench_env
from blooio_desktop.core.events import Changes
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.inspector import InspectorService
from blooio_desktop.services.webhook_intake import WebhookIntake
from blooio_desktop.store import ChatRepository, Database
from blooio_desktop.ui.bridge import BusBridge
from blooio_desktop.ui.chat_list.model import ChatListModel
from blooio_desktop.webhook.listener import WebhookListener

SECRET = "whsec_benchmark_secret_0123456789"


class Seen:
    """Monotonic time at which each benchmark message reached the Qt side."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}

    def mark(self, message_ids: list[str]) -> None:
        now = time.monotonic()
        for message_id in message_ids:
            self.at.setdefault(message_id, now)

    async def wait_for(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while len(self.at) < count and time.monotonic() < deadline:
            await asyncio.sleep(0.01)


class AppReceiver:
    """`with_model=False` stops at the bus (stored, `Changes` published): isolates the Qt model's share."""

    def __init__(self, db_path: Path, *, with_model: bool = True) -> None:
        self.db = Database.open(db_path)
        self.bus = EventBus()
        self.seen = Seen()
        self._http = httpx.AsyncClient()
        self.inspector = InspectorService(
            self.db, self.bus, http=self._http, listener_url=lambda: None, secret_provider=lambda: [SECRET]
        )
        intake = WebhookIntake(self.db, self.bus, self.inspector, loop=asyncio.get_running_loop())
        self.listener = WebhookListener(secret_provider=lambda: [SECRET], sink=intake)
        self.bridge = BusBridge(self.bus)
        self.model = ChatListModel(ChatRepository(self.db.read()))
        if with_model:
            self.model.refresh()
            self.bridge.changes.connect(self.model.on_changes)
        self.bridge.changes.connect(self._after_model)  # connected second: runs once the model is updated

    def _after_model(self, changes: Changes) -> None:
        self.seen.mark([m for _, m in (*changes.inserted_messages, *changes.updated_messages)])

    async def start(self) -> str:
        return await self.listener.start()

    async def stop(self) -> None:
        await self.listener.stop()
        self.bridge.close()
        await self.inspector.aclose()
        await self._http.aclose()
        self.db.close()


class _Emitter(QObject):
    received = Signal(object)


class BareReceiver:
    """The peer: aiohttp's low-level server on the same loop, parse, emit a signal, answer 200."""

    def __init__(self) -> None:
        self.seen = Seen()
        self._emitter = _Emitter()
        self._emitter.received.connect(lambda message_id: self.seen.mark([message_id]))
        self._runner: web.ServerRunner | None = None

    async def _handle(self, request: web.BaseRequest) -> web.Response:
        payload: dict[str, Any] = json.loads(await request.read())
        self._emitter.received.emit(payload["message_id"])
        return web.json_response({"ok": True})

    async def start(self) -> str:
        self._runner = web.ServerRunner(web.Server(self._handle), handle_signals=False)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return f"http://127.0.0.1:{self._runner.addresses[0][1]}/webhooks/blooio"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


class LagSampler:
    """How late a 10 ms timer fires on the loop: the UI's responsiveness while events pour in."""

    def __init__(self, interval: float = 0.01) -> None:
        self.interval = interval
        self.lags_ms: list[float] = []
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(self.interval)
            self.lags_ms.append(max(0.0, (time.monotonic() - before - self.interval) * 1000))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


async def run_loadgen(url: str, out: Path, *args: str, timeout: float = 600) -> dict[str, Any]:
    """Run `bench.loadgen` as a separate process without blocking the loop; return its JSON."""
    cmd = [sys.executable, "-m", "bench.loadgen", url, "--secret", SECRET, "--out", str(out), *args]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=bench_env())
    deadline = time.monotonic() + timeout
    while proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError("the load generator did not finish in time")
        await asyncio.sleep(0.05)
    if proc.returncode:
        raise RuntimeError(f"the load generator failed with exit code {proc.returncode}")
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def run_on_qasync(benchmark: Coroutine[Any, Any, Report]) -> Report:
    """Run a benchmark coroutine on a qasync loop, as the app runs (offscreen unless told otherwise)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # as the doc measures; no display needed
    qapp = QApplication([])
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(benchmark)
    finally:
        loop.close()
