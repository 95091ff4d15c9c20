"""Settings dialog: values round-trip to the settings file, bad values are explained inline, and
the ngrok authtoken goes to the keyring only."""

from __future__ import annotations

from typing import Any

from blooio_desktop.config.settings import Settings
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.settings_dialog import SettingsDialog


def _dialog(context: AppContext, qtbot: Any) -> SettingsDialog:
    dialog = SettingsDialog(context)
    qtbot.addWidget(dialog)
    return dialog


def test_saved_values_reach_the_settings_file(ui_context: AppContext, qtbot: Any) -> None:
    dialog = _dialog(ui_context, qtbot)
    assert dialog.listener_path.text() == "/webhooks/blooio"
    dialog.listener_port.setValue(8765)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    dialog.allow_legacy.setChecked(True)
    dialog.tolerance.setValue(120)
    dialog.launch_minimized.setChecked(True)
    assert dialog.save()
    on_disk = Settings.load(ui_context.paths.settings_file)
    assert (on_disk.listener_port, on_disk.theme, on_disk.allow_legacy_signature) == (
        8765,
        "dark",
        True,
    )
    assert (on_disk.signature_tolerance_s, on_disk.launch_minimized) == (120, True)


def test_bad_values_are_explained_next_to_their_field(ui_context: AppContext, qtbot: Any) -> None:
    dialog = _dialog(ui_context, qtbot)
    dialog.listener_path.setText("webhooks")
    assert not dialog.save()
    assert "must start with “/”" in dialog._errors["listener_path"].text()
    assert not dialog._errors["listener_path"].isHidden()
    dialog.listener_path.setText("/hooks")
    dialog.tunnel_provider.setCurrentIndex(dialog.tunnel_provider.findData("external"))
    assert dialog.external_url.isEnabled() and not dialog.ngrok_path.isEnabled()
    assert not dialog.save()
    assert "public URL" in dialog._errors["external_url"].text()
    dialog.external_url.setText("hooks.example.com")
    assert not dialog.save()
    assert "http://" in dialog._errors["external_url"].text()
    dialog.external_url.setText("https://hooks.example.com")
    assert dialog.save()
    assert ui_context.settings.value.external_url == "https://hooks.example.com"


def test_ngrok_token_goes_to_the_keyring_not_the_file(ui_context: AppContext, qtbot: Any) -> None:
    dialog = _dialog(ui_context, qtbot)
    dialog.tunnel_provider.setCurrentIndex(dialog.tunnel_provider.findData("ngrok"))
    dialog.ngrok_token.setText("2abcSECRETngroktoken")
    dialog.ngrok_region.setCurrentIndex(dialog.ngrok_region.findData("eu"))
    assert dialog.save()
    assert ui_context.secrets.ngrok_authtoken() == "2abcSECRETngroktoken"
    assert "SECRET" not in ui_context.paths.settings_file.read_text()
    assert ui_context.settings.value.ngrok_region == "eu"
    again = _dialog(ui_context, qtbot)
    assert again.ngrok_token.text() == ""
    assert "Saved in the keyring" in again.ngrok_token.placeholderText()
