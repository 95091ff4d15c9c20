"""Outbox dock against the sandbox: a send that fails shows up as Failed with its key; Retry through
the view sends it (same Idempotency-Key, exactly one message on the server); Discard removes it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QInputDialog

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.core.models import OutboxState
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.outbox import OutboxSender
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.outbox.dock import OutboxDock
from tests.support.sandbox import SandboxHandle
from tests.ui.conftest import wait_for

BOB = "+15550000002"
NO_DEVICE = {"error_rate": 1.0, "error_statuses": [503], "paths": "/messages$", "methods": ["POST"]}


@asynccontextmanager
async def messaging(context: AppContext, sandbox: SandboxHandle) -> AsyncIterator[MessagingService]:
    async with BlooioClient(
        sandbox.api_key, sandbox.base_url, retry=RetryPolicy(max_retries=0)
    ) as client:
        service = MessagingService(
            client,
            context.db,
            context.bus,
            sender=OutboxSender(client, context.db, context.bus, retry=RetryPolicy(max_retries=0)),
        )
        context.client, context.messaging = client, service
        await service.start()
        try:
            yield service
        finally:
            await service.stop()


def _dock(context: AppContext, qtbot: Any) -> OutboxDock:
    dock = OutboxDock(context)
    qtbot.addWidget(dock)
    return dock


def _state(dock: OutboxDock, key: str) -> Callable[[], OutboxState | None]:
    def current() -> OutboxState | None:
        row = dock.model.row_of(key)
        return None if row is None else dock.model.item(row).state

    return current


async def _failed_sends(
    service: MessagingService, dock: OutboxDock, sandbox: SandboxHandle, *texts: str
) -> list[str]:
    """Send `texts` while the device is unreachable; returns their keys once all show Failed."""
    sandbox.set_faults(**NO_DEVICE)
    keys = [(await service.send(BOB, text)).idempotency_key for text in texts]
    await wait_for(
        lambda: all(_state(dock, key)() is OutboxState.FAILED for key in keys),
        what="failed rows",
    )
    return keys


def test_failed_send_then_retry_through_the_outbox_view(
    ui_context: AppContext, sandbox: SandboxHandle, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    async def body() -> None:
        async with messaging(ui_context, sandbox) as service:
            dock = _dock(ui_context, qtbot)
            assert dock.stack.currentWidget() is dock.empty
            [key] = await _failed_sends(service, dock, sandbox, "hello from the outbox test")
            row = dock.model.row_of(key)
            assert row is not None
            assert dock.model.index(row, 0).data() == "Failed"
            assert dock.model.index(row, 6).data() == key
            assert "Injected server error" in dock.model.index(row, 5).data()
            assert dock.windowTitle() == "Outbox (1)"
            assert dock.stack.currentWidget() is dock.table
            sandbox.set_faults()  # the device is back
            assert dock.select_key(key)
            assert dock.retry_button.isEnabled()
            dock.retry_button.click()  # the real asyncSlot
            await wait_for(
                lambda: dock.model.row_of(key) is None, what="sent row to leave the outbox"
            )
            assert dock.windowTitle() == "Outbox"
            counters = sandbox.counters()
            assert counters["messages_created"] == 1
            assert counters["sends_by_key"] == {key: 1}

    qloop.run_until_complete(body())


def test_discard_and_edited_retry_through_the_dialog(
    ui_context: AppContext, sandbox: SandboxHandle, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    stack = AsyncExitStack()

    async def fail_two() -> tuple[OutboxDock, str, str]:
        service = await stack.enter_async_context(messaging(ui_context, sandbox))
        dock = _dock(ui_context, qtbot)
        first, second = await _failed_sends(service, dock, sandbox, "typo", "never mind")
        await dock.discard(second)
        await wait_for(lambda: dock.model.row_of(second) is None, what="discarded row gone")
        sandbox.set_faults()
        return dock, first, second

    dock, first, _second = qloop.run_until_complete(fail_two())
    try:

        def edit_text() -> None:
            editor = dock.findChild(QInputDialog)
            assert editor is not None
            assert editor.textValue() == "typo"
            editor.setTextValue("fixed text")
            editor.accept()

        assert dock.select_key(first)
        QTimer.singleShot(0, edit_text)
        dock.edit_button.click()  # a plain slot runs the modal editor, then spawns the retry
        qloop.run_until_complete(
            wait_for(lambda: dock.model.row_of(first) is None, what="edited retry sent")
        )
        state = sandbox.control("GET", "state")
        assert [m["text"] for m in state["messages"] if m["direction"] == "outbound"] == [
            "fixed text"
        ]
        assert sandbox.counters()["sends_by_key"] == {first: 1}
    finally:
        qloop.run_until_complete(stack.aclose())


def test_actions_without_messaging_explain_themselves(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    dock = _dock(ui_context, qtbot)
    qloop.run_until_complete(dock.retry("missing-key"))
    assert dock.error.text() == "Not connected yet: try again in a moment."
