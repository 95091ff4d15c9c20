"""Rename a group or a contact through the sandbox API; errors stay inline."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import qasync

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.rename_dialog import RenameDialog
from tests.support.sandbox import SandboxHandle
from tests.ui.conftest import wait_for


def _rename(
    context: AppContext, qtbot: Any, target: str, new_name: str
) -> tuple[RenameDialog, list[tuple[str, str]]]:
    dialog = RenameDialog(context, target, "Old")
    qtbot.addWidget(dialog)
    renamed: list[tuple[str, str]] = []
    dialog.renamed.connect(lambda *args: renamed.append(args))
    dialog.name.setText(new_name)
    dialog.save_button.click()
    return dialog, renamed


def test_rename_contact_and_group(
    ui_context: AppContext,
    sandbox: SandboxHandle,
    sandbox_client: BlooioClient,
    qloop: qasync.QEventLoop,
    qtbot: Any,
) -> None:
    async def body() -> None:
        await sandbox_client.create_contact("+15550000009", name="Old")
        group = await sandbox_client.create_group("Old", ["+15550000009"])
        dialog, renamed = _rename(ui_context, qtbot, "+15550000009", "New Name")
        assert dialog.windowTitle() == "Rename contact"
        await wait_for(lambda: renamed, what="contact renamed")
        contact = sandbox.api("GET", f"contacts/{quote('+15550000009', safe='')}").json()
        assert contact["name"] == "New Name"
        dialog, renamed = _rename(ui_context, qtbot, group.group_id, "Renamed group")
        assert dialog.windowTitle() == "Rename group"
        await wait_for(lambda: renamed, what="group renamed")
        assert sandbox.api("GET", f"groups/{group.group_id}").json()["name"] == "Renamed group"

    qloop.run_until_complete(body())


def test_unknown_group_error_is_shown_inline(
    ui_context: AppContext, sandbox_client: BlooioClient, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    async def body() -> None:
        dialog, renamed = _rename(ui_context, qtbot, "grp_doesnotexist", "X")
        await wait_for(lambda: dialog.error.text(), what="inline error")
        assert dialog.error.text().startswith("Not found")
        assert renamed == []

    qloop.run_until_complete(body())
