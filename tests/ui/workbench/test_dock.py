"""Workbench dock over a real listener + inspector: live rows with verdicts, detail pane, replay,
bad-signature and expired replays, filters, samples and export."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import qasync
from aiohttp import web
from PySide6.QtCore import QTimer

from blooio_desktop.config.settings import ForwardTarget
from blooio_desktop.services.connectivity import ConnectivityService
from blooio_desktop.services.forwarding import Forwarder
from blooio_desktop.services.inspector import InspectorService
from blooio_desktop.services.webhook_intake import WebhookIntake
from blooio_desktop.tunnel.none import NoTunnel
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.workbench.dock import WorkbenchDock
from blooio_desktop.ui.workbench.replay_editor import ReplayEditor
from blooio_desktop.webhook.listener import WebhookListener
from tests.ui.conftest import wait_for

SECRET = "whsec_workbench_test_secret"


@asynccontextmanager
async def live_inspector(context: AppContext) -> AsyncIterator[WebhookListener]:
    """Listener → inspector (with a forwarder) → bus, plus the connectivity service the samples
    read the secret from."""
    async with httpx.AsyncClient() as http:
        inspector = InspectorService(
            context.db,
            context.bus,
            http=http,
            listener_url=lambda: listener.url,
            secret_provider=lambda: [SECRET],
            forwarder=Forwarder(http, (), lambda: [SECRET]),
        )
        intake = WebhookIntake(
            context.db, context.bus, inspector, loop=asyncio.get_running_loop()
        )
        listener = WebhookListener(secret_provider=lambda: [SECRET], sink=intake)
        context.inspector = inspector
        context.connectivity = ConnectivityService(
            listener=listener, tunnel=NoTunnel(), bus=context.bus, http=http, extra_secrets=[SECRET]
        )
        await context.connectivity.start()
        try:
            yield listener
        finally:
            await context.connectivity.stop()
            await inspector.aclose()


def _verdicts(dock: WorkbenchDock) -> list[str]:
    return [dock.proxy.index(r, 2).data() for r in range(dock.proxy.rowCount())]


def test_replays_show_up_live_with_their_verdicts(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any, tmp_path: Path
) -> None:
    async def body() -> None:
        async with live_inspector(ui_context):
            dock = WorkbenchDock(ui_context)
            qtbot.addWidget(dock)
            assert dock.model.rowCount() == 0
            assert await dock.fixtures.trigger("message.received") == 200
            await wait_for(lambda: dock.model.rowCount() == 1, what="first delivery")
            assert _verdicts(dock) == ["valid"]
            dock.select_row(0)
            original = dock.selected()
            assert original is not None and original.id is not None
            assert '"event": "message.received"' in dock.detail.body.toPlainText()  # pretty JSON
            assert "X-Blooio-Signature: <redacted>" in dock.detail.headers.toPlainText()
            assert dock.replay_button.isEnabled()

            dock.replay_button.click()  # the real asyncSlot: replay as is, freshly signed
            await wait_for(lambda: dock.model.rowCount() == 2, what="replayed delivery")
            assert _verdicts(dock)[0] == "valid"
            assert dock.model.delivery(0).replay_of == original.id
            assert dock.proxy.index(0, 1).data() == "message.received ↻"

            await dock.replay(original.id, None, "bad")
            await wait_for(lambda: dock.model.rowCount() == 3, what="bad-signature replay")
            assert _verdicts(dock)[0] == "invalid"
            assert dock.model.delivery(0).response_status == 401
            assert "listener answered HTTP 401" in dock.status.text()

            edited = json.dumps({**json.loads(original.body), "text": "edited"}).encode()
            await dock.replay(original.id, edited, "expired")
            await wait_for(lambda: dock.model.rowCount() == 4, what="expired replay")
            assert _verdicts(dock)[0] == "stale"
            assert b'"edited"' in dock.model.delivery(0).body

            dock.verdict_filter.setCurrentIndex(dock.verdict_filter.findData("invalid"))
            assert _verdicts(dock) == ["invalid"]
            out = tmp_path / "invalid.jsonl"
            assert await dock.export(out) == 1
            assert json.loads(out.read_text().splitlines()[0])["verdict"] == "invalid"
            dock.verdict_filter.setCurrentIndex(0)
            dock.event_filter.setCurrentIndex(dock.event_filter.findData("message.sent"))
            assert dock.proxy.rowCount() == 0
            assert await dock.fixtures.trigger("message.received") == 200
            await wait_for(lambda: dock.model.rowCount() == 5, what="a new delivery")
            assert dock.proxy.rowCount() == 0  # live rows respect the filter too

    qloop.run_until_complete(body())


def test_samples_with_bad_signatures_and_reload_from_the_store(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    async def body() -> None:
        async with live_inspector(ui_context):
            dock = WorkbenchDock(ui_context)
            qtbot.addWidget(dock)
            assert await dock.fixtures.trigger("message.delivered", "bad") == 401
            assert await dock.fixtures.trigger("message.read", "unsigned") == 401
            await wait_for(lambda: dock.model.rowCount() == 2, what="two rejected samples")
            assert _verdicts(dock) == ["missing", "invalid"]
            again = WorkbenchDock(ui_context)  # a new window reads the same history from the store
            qtbot.addWidget(again)
            assert _verdicts(again) == ["missing", "invalid"]
            fixtures = ui_context.paths.config_dir / "fixtures"
            fixtures.mkdir(parents=True)
            (fixtures / "poll.json").write_text('{"event": "poll.created", "message_id": "p1"}')
            dock.fixtures.reload_fixtures()
            assert dock.fixtures.fixture.findText("poll") >= 0
            assert await dock.fixtures.trigger("poll") == 200
            await wait_for(lambda: dock.model.rowCount() == 3, what="user fixture delivery")
            assert (
                dock.event_filter.findData("poll.created") >= 0
            )  # unknown events become filterable

    qloop.run_until_complete(body())


def test_without_a_listener_actions_explain_themselves(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    dock = WorkbenchDock(ui_context)
    qtbot.addWidget(dock)
    assert qloop.run_until_complete(dock.fixtures.trigger("message.received")) is None
    assert "listener is not running" in dock.status.text()
    qloop.run_until_complete(dock.replay(1))
    assert dock.status.text() == "The webhook inspector is not running."


@asynccontextmanager
async def bot_server() -> AsyncIterator[tuple[str, list[bytes]]]:
    """The developer's own webhook receiver: answers 204 and keeps what it got."""
    received: list[bytes] = []

    async def handle(request: web.BaseRequest) -> web.Response:
        received.append(await request.read())
        return web.Response(status=204)

    runner = web.ServerRunner(web.Server(handle), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/hook", received
    finally:
        await runner.cleanup()


def test_forward_targets_are_saved_applied_and_shown(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    async def body() -> None:
        async with live_inspector(ui_context), bot_server() as (url, received):
            dock = WorkbenchDock(ui_context)
            qtbot.addWidget(dock)
            dock.set_forward_targets([ForwardTarget(url, ("message.received",))])
            assert ui_context.settings.value.forward_targets == (
                ForwardTarget(url, ("message.received",)),
            )
            assert dock.status.text() == "Forwarding to 1 target."
            await dock.fixtures.trigger("message.sent")  # filtered out
            await dock.fixtures.trigger("message.received")
            await wait_for(lambda: received, what="forwarded delivery")
            assert json.loads(received[0])["event"] == "message.received"
            dock.select_row(0)
            await wait_for(
                lambda: "→ HTTP 204" in dock.detail.forwards.toPlainText(), what="forward shown"
            )
            dock.select_row(1)
            assert dock.detail.forwards.toPlainText().startswith("Not forwarded")

    qloop.run_until_complete(body())


def test_edit_and_replay_through_the_dialog(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    """The button opens the editor from a plain slot (no nested loop inside a task), then replays."""
    stack = AsyncExitStack()

    async def start() -> WorkbenchDock:
        await stack.enter_async_context(live_inspector(ui_context))
        dock = WorkbenchDock(ui_context)
        qtbot.addWidget(dock)
        await dock.fixtures.trigger("message.received")
        await wait_for(lambda: dock.model.rowCount() == 1, what="first delivery")
        return dock

    dock = qloop.run_until_complete(start())
    try:
        dock.select_row(0)

        def fill_editor() -> None:
            editor = dock.findChild(ReplayEditor)
            assert editor is not None
            editor.set_mode("bad")
            editor.accept()

        QTimer.singleShot(0, fill_editor)
        dock.edit_button.click()
        qloop.run_until_complete(wait_for(lambda: dock.model.rowCount() == 2, what="edited replay"))
        assert _verdicts(dock)[0] == "invalid"
    finally:
        qloop.run_until_complete(stack.aclose())
