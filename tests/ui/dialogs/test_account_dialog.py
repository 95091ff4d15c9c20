"""Account dialog against the real sandbox: live key check, specific errors, keyring storage, masking."""

from __future__ import annotations

import dataclasses
import socket
from typing import Any

import qasync
from keyring.backends.fail import Keyring as FailKeyring

from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.account_dialog import AccountDialog, mask_api_key
from tests.support.sandbox import SandboxHandle
from tests.ui.conftest import wait_for


def _dialog(context: AppContext, qtbot: Any, base_url: str, key: str) -> AccountDialog:
    dialog = AccountDialog(context)
    qtbot.addWidget(dialog)
    dialog.advanced.setChecked(True)
    dialog.base_url.setText(base_url)
    dialog.api_key.setText(key)
    return dialog


def _closed_port_url() -> str:
    """A loopback URL where nothing listens any more: a stopped server."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/v2/api"


def test_mask_shows_prefix_and_last_four_only() -> None:
    assert mask_api_key("bl_live_abcdefghijkl1234") == "bl_live_…1234"
    assert mask_api_key("short") == "…"
    assert mask_api_key("bl_live_abc") == "bl_live_…"


def test_wrong_key_says_invalid_key(
    ui_context: AppContext, sandbox: SandboxHandle, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    dialog = _dialog(ui_context, qtbot, sandbox.base_url, "bl_live_not_the_right_key_0000")
    assert qloop.run_until_complete(dialog.check_now()) is False
    assert "Invalid API key" in dialog.error.text()
    assert "not_the_right" not in dialog.error.text()
    assert not dialog.save_button.isEnabled()


def test_stopped_server_says_no_network(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    dialog = _dialog(ui_context, qtbot, _closed_port_url(), "bl_live_whatever_key_1234")
    assert qloop.run_until_complete(dialog.check_now()) is False
    assert dialog.error.text().startswith("No network")


def test_bad_base_url_is_explained(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    dialog = _dialog(ui_context, qtbot, "ftp://example.com", "bl_live_whatever_key_1234")
    assert qloop.run_until_complete(dialog.check_now()) is False
    assert "http://" in dialog.error.text()


def test_good_key_is_checked_stored_and_never_shown_again(
    ui_context: AppContext, sandbox: SandboxHandle, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    dialog = _dialog(ui_context, qtbot, sandbox.base_url, sandbox.api_key)
    finished: list[bool] = []
    dialog.check_finished.connect(finished.append)

    async def body() -> None:
        dialog.check_button.click()  # the real asyncSlot on the running loop
        await wait_for(lambda: finished, what="the key check")

    qloop.run_until_complete(body())
    assert finished == [True]
    assert dialog.status.text().startswith("✓ Key accepted")
    assert dialog.save_button.isEnabled()
    assert dialog.number.count() >= 1  # "Blooio chooses" + the key's numbers
    saved: list[str] = []
    dialog.account_saved.connect(saved.append)
    assert dialog.save()
    assert ui_context.secrets.api_key() == sandbox.api_key
    assert ui_context.settings.value.base_url == sandbox.base_url
    assert saved == [mask_api_key(sandbox.api_key)]
    again = AccountDialog(ui_context)
    qtbot.addWidget(again)
    assert again.saved_key.text() == mask_api_key(sandbox.api_key)
    assert again.api_key.text() == ""
    assert sandbox.api_key not in again.saved_key.text()


def test_keyring_unavailable_says_what_to_install(
    ui_context: AppContext, sandbox: SandboxHandle, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    context = dataclasses.replace(ui_context, secrets=SecretStore(backend=FailKeyring()))
    dialog = _dialog(context, qtbot, sandbox.base_url, sandbox.api_key)
    assert dialog.saved_key.text().startswith("none")
    assert qloop.run_until_complete(dialog.check_now()) is True
    assert dialog.save() is False
    assert "no keyring is available" in dialog.error.text()
    assert "gnome-keyring" in dialog.error.text()
    assert sandbox.api_key not in dialog.error.text()
