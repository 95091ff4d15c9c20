"""The status bar shows sync progress and tells the user how many messages were backfilled."""

from __future__ import annotations

from typing import Any

import qasync
from PySide6.QtWidgets import QMainWindow

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.errors import StoreError
from blooio_desktop.services.events import BackfillReport, StoreFailure, SyncProgress
from blooio_desktop.services.sync import SyncService
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.status.sync_widget import SyncStatusWidget
from tests.support.sandbox import SandboxHandle


def _widget(ui_context: AppContext, qtbot: Any) -> tuple[QMainWindow, SyncStatusWidget]:
    window = QMainWindow()
    qtbot.addWidget(window)
    widget = SyncStatusWidget(ui_context, window.statusBar(), window)
    window.statusBar().addPermanentWidget(widget)
    return window, widget


def test_progress_shows_while_syncing_and_hides_when_done(
    ui_context: AppContext, qtbot: Any
) -> None:
    _, widget = _widget(ui_context, qtbot)
    ui_context.bus.publish(SyncProgress(3, 10, "history"))
    assert widget.isVisibleTo(widget.parentWidget())
    assert widget.label.text() == "Fetching history…" and widget.progress.value() == 3
    ui_context.bus.publish(SyncProgress(10, 10, "done"))
    assert not widget.isVisibleTo(widget.parentWidget())


def test_store_failures_and_empty_backfills(ui_context: AppContext, qtbot: Any) -> None:
    window, widget = _widget(ui_context, qtbot)
    shown: list[str] = []
    widget.message_shown.connect(shown.append)
    ui_context.bus.publish(BackfillReport(0))  # nothing new: nothing to say
    full = StoreError("Your disk is full.", kind=StoreError.FULL)
    ui_context.bus.publish(StoreFailure(full, "incoming messages"))
    assert shown == ["Could not save incoming messages: Your disk is full."]
    assert window.statusBar().currentMessage() == shown[0]


def test_messages_missed_while_away_are_announced_after_backfill(
    ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop, sandbox: SandboxHandle
) -> None:
    window, _ = _widget(ui_context, qtbot)
    sandbox.control("PUT", "world", {"bot": False})
    sandbox.control("POST", "inbound", {"from": "+15557770001", "text": "first"})

    async def body() -> None:
        async with BlooioClient(sandbox.api_key, sandbox.base_url) as client:
            sync = SyncService(client, ui_context.db, ui_context.bus)
            await sync.initial_sync()
            for n in range(3):  # arrive while the app is not listening
                sandbox.control("POST", "inbound", {"from": "+15557770001", "text": f"missed {n}"})
            assert await sync.backfill() == 3

    qloop.run_until_complete(body())
    assert window.statusBar().currentMessage() == "3 messages backfilled"
