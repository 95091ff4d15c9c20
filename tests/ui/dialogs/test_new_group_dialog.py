"""New group: member parsing with specific errors, and creation through the sandbox API."""

from __future__ import annotations

from typing import Any

import pytest
import qasync

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.errors import ValidationError
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.new_group_dialog import NewGroupDialog, parse_members
from tests.support.sandbox import SandboxHandle
from tests.ui.conftest import wait_for


def test_members_are_normalised_and_deduplicated() -> None:
    assert parse_members("+1 555 000 0001\nA@Example.com, +15550000001;") == [
        "+15550000001",
        "a@example.com",
    ]
    with pytest.raises(ValidationError, match="needs a country code"):
        parse_members("+15550000001\n5550000002")
    with pytest.raises(ValidationError, match="at least one member"):
        parse_members(" \n ,")


def test_validation_messages_are_inline(ui_context: AppContext, qtbot: Any) -> None:
    dialog = NewGroupDialog(ui_context)
    qtbot.addWidget(dialog)
    assert dialog.validate() is None and dialog.error.text() == "Give the group a name."
    dialog.name.setText("Team")
    dialog.members.setPlainText("+15550000001\nnot-a-number")
    assert dialog.validate() is None and "country code" in dialog.error.text()


def test_group_is_created_on_the_server(
    ui_context: AppContext,
    sandbox: SandboxHandle,
    sandbox_client: BlooioClient,
    qloop: qasync.QEventLoop,
    qtbot: Any,
) -> None:
    async def body() -> None:
        dialog = NewGroupDialog(ui_context)
        qtbot.addWidget(dialog)
        created: list[str] = []
        dialog.group_created.connect(created.append)
        dialog.name.setText("Weekend plans")
        dialog.members.setPlainText("+15550000001\n+15550000002")
        dialog.create_button.click()
        await wait_for(lambda: created, what="group_created")
        group = sandbox.api("GET", f"groups/{created[0]}").json()
        assert group["name"] == "Weekend plans"

    qloop.run_until_complete(body())
