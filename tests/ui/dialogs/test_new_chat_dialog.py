"""New chat: live E.164 validation with a clear message, reach check against the sandbox, chat_created."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import quote

import qasync

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.new_chat_dialog import NewChatDialog
from tests.support.sandbox import SandboxHandle
from tests.ui.conftest import wait_for


def test_bad_number_shows_a_clear_error_and_blocks_start(
    ui_context: AppContext, qtbot: Any
) -> None:
    dialog = NewChatDialog(ui_context)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.recipient, "555 1234")
    assert "needs a country code" in dialog.error.text()
    assert "E.164" in dialog.error.text()
    assert not dialog.start_button.isEnabled()
    dialog.recipient.setText("+1 (555) 12")
    assert "too short" in dialog.error.text()
    dialog.recipient.setText("bob@@example")
    assert "not a valid email" in dialog.error.text()
    dialog.recipient.setText("+1 (555) 123-4567")
    assert dialog.error.text() == ""
    assert dialog.start_button.isEnabled()
    assert dialog.handle() == "+15551234567"


async def _checked_dialog(context: AppContext, qtbot: Any) -> tuple[NewChatDialog, list[str]]:
    """A new chat dialog for +15557654321 whose reach check has finished; `shown` lists results."""
    dialog = NewChatDialog(context)
    qtbot.addWidget(dialog)
    shown: list[str] = []
    dialog.capabilities_shown.connect(shown.append)
    dialog.recipient.setText("+15557654321")
    await wait_for(lambda: shown, what="capability check")
    return dialog, shown


def test_reach_is_checked_before_the_first_send_and_the_chat_is_created(
    ui_context: AppContext,
    sandbox: SandboxHandle,
    sandbox_client: BlooioClient,
    qloop: qasync.QEventLoop,
    qtbot: Any,
) -> None:
    async def body() -> None:
        dialog, shown = await _checked_dialog(ui_context, qtbot)
        assert dialog.capability.text() == shown[0]
        assert shown[0].startswith(("✓ Reachable on iMessage", "SMS only", "Not reachable"))
        created: list[str] = []
        dialog.chat_created.connect(created.append)
        dialog.name.setText("Dana Scully")
        dialog.start_button.click()
        await wait_for(lambda: created, what="chat_created")
        assert created == ["+15557654321"]
        contact = sandbox.api("GET", f"contacts/{quote('+15557654321', safe='')}").json()
        assert contact["name"] == "Dana Scully"

    qloop.run_until_complete(body())


def test_typing_again_discards_a_stale_reach_result(
    ui_context: AppContext, sandbox_client: BlooioClient, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    async def body() -> None:
        dialog, shown = await _checked_dialog(ui_context, qtbot)
        dialog.recipient.setText("+1555765432")  # still valid, new check pending
        assert dialog.capability.text() == ""
        dialog.recipient.setText("nope")
        await asyncio.sleep(0.6)  # past the debounce: no check for an invalid entry
        assert len(shown) == 1 and dialog.capability.text() == ""

    qloop.run_until_complete(body())
