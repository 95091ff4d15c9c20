"""Preferences: listener, tunnel (ngrok token in the keyring), signature checks, notifications, look.

Every value is checked by `Settings.replace` (the one place that knows what is valid); a rejected
value is shown inline next to its field and the dialog stays open. The ngrok authtoken never enters
`Settings`: it goes straight to the OS keyring and is never shown again.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from blooio_desktop.config.settings import Settings
from blooio_desktop.core.errors import BlooioError, ValidationError
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.layout import dialog_buttons, dialog_layout
from blooio_desktop.ui.error_text import describe_error, inline_error

TUNNEL_CHOICES: tuple[tuple[str, str], ...] = (
    ("none", "None (local listener only)"),
    ("ngrok", "ngrok"),
    ("external", "External URL (my own tunnel or server)"),
)
THEME_CHOICES: tuple[tuple[str, str], ...] = (
    ("system", "Follow system"),
    ("light", "Light"),
    ("dark", "Dark"),
)
NGROK_REGIONS: tuple[str, ...] = ("", "us", "eu", "ap", "au", "sa", "jp", "in")


def _combo(parent: QWidget, choices: tuple[tuple[str, str], ...], name: str) -> QComboBox:
    box = QComboBox(parent)
    box.setAccessibleName(name)
    for key, label in choices:
        box.addItem(label, key)
    return box


def _page_form(page: QWidget) -> QFormLayout:
    form = QFormLayout(page)
    form.setContentsMargins(16, 16, 16, 12)
    form.setVerticalSpacing(8)
    return form


def _select(box: QComboBox, key: object) -> None:
    box.setCurrentIndex(max(0, box.findData(key)))


def _optional(text: str) -> str | None:
    return text.strip() or None


class SettingsDialog(QDialog):
    """Edits `context.settings`; OK validates, saves (settings file + keyring) and closes."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle("Settings")
        self.setMinimumWidth(520)
        self._errors: dict[str, QLabel] = {}
        tabs = QTabWidget(self)
        tabs.addTab(self._general_tab(), "General")
        tabs.addTab(self._listener_tab(), "Listener && tunnel")
        tabs.addTab(self._webhook_tab(), "Webhooks")
        self.error = inline_error(self)
        self.buttons, _ok = dialog_buttons(self, self.save)
        layout = dialog_layout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.load(context.settings.value)

    # --- building ------------------------------------------------------------------------------

    def _field_error(self, name: str, parent: QWidget) -> QLabel:
        label = inline_error(parent)
        label.hide()
        self._errors[name] = label
        return label

    def _general_tab(self) -> QWidget:
        page = QWidget(self)
        form = _page_form(page)
        self.theme = _combo(page, THEME_CHOICES, "Theme")
        self.notifications = QCheckBox("Show a notification for each new message", page)
        self.launch_minimized = QCheckBox("Start minimized to the system tray", page)
        form.addRow("Theme:", self.theme)
        form.addRow("", self.notifications)
        form.addRow("", self.launch_minimized)
        return page

    def _listener_tab(self) -> QWidget:
        page = QWidget(self)
        form = _page_form(page)
        self.listener_host = QLineEdit(page)
        self.listener_host.setAccessibleName("Listener host")
        self.listener_port = QSpinBox(page)
        self.listener_port.setRange(0, 65535)
        self.listener_port.setSpecialValueText("Automatic")
        self.listener_port.setAccessibleName("Listener port")
        self.listener_path = QLineEdit(page)
        self.listener_path.setAccessibleName("Listener path")
        self.tunnel_provider = _combo(page, TUNNEL_CHOICES, "Tunnel provider")
        self.ngrok_token = QLineEdit(page)
        self.ngrok_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.ngrok_token.setAccessibleName("ngrok authtoken")
        self.ngrok_region = _combo(
            page, tuple((r, r or "Automatic") for r in NGROK_REGIONS), "ngrok region"
        )
        self.ngrok_path = QLineEdit(page)
        self.ngrok_path.setPlaceholderText("Downloaded automatically when empty")
        self.ngrok_path.setAccessibleName("ngrok agent path")
        self.external_url = QLineEdit(page)
        self.external_url.setPlaceholderText("https://hooks.example.com")
        self.external_url.setAccessibleName("External URL")
        for label, widget, name in (
            ("Host:", self.listener_host, "listener_host"),
            ("Port:", self.listener_port, "listener_port"),
            ("Path:", self.listener_path, "listener_path"),
            ("Tunnel:", self.tunnel_provider, "tunnel_provider"),
            ("ngrok authtoken:", self.ngrok_token, "ngrok_authtoken"),
            ("ngrok region:", self.ngrok_region, "ngrok_region"),
            ("ngrok agent:", self.ngrok_path, "ngrok_path"),
            ("External URL:", self.external_url, "external_url"),
        ):
            form.addRow(label, widget)
            form.addRow("", self._field_error(name, page))
        note = QLabel(
            "Listener and tunnel changes apply the next time webhooks start "
            "(Stop, then Start, in the status bar).",
            page,
        )
        note.setWordWrap(True)
        note.setEnabled(False)  # drawn in the secondary text colour
        form.addRow(note)
        self.tunnel_provider.currentIndexChanged.connect(self._sync_tunnel_fields)
        return page

    def _webhook_tab(self) -> QWidget:
        page = QWidget(self)
        form = _page_form(page)
        self.allow_legacy = QCheckBox(
            "Accept legacy body-only signatures (no replay protection)", page
        )
        self.tolerance = QSpinBox(page)
        self.tolerance.setRange(1, 86_400)
        self.tolerance.setSuffix(" s")
        self.tolerance.setAccessibleName("Signature timestamp tolerance")
        form.addRow("", self.allow_legacy)
        form.addRow("Timestamp tolerance:", self.tolerance)
        form.addRow("", self._field_error("signature_tolerance_s", page))
        return page

    # --- values --------------------------------------------------------------------------------

    def load(self, settings: Settings) -> None:
        _select(self.theme, settings.theme)
        self.notifications.setChecked(settings.notifications)
        self.launch_minimized.setChecked(settings.launch_minimized)
        self.listener_host.setText(settings.listener_host)
        self.listener_port.setValue(settings.listener_port)
        self.listener_path.setText(settings.listener_path)
        _select(self.tunnel_provider, settings.tunnel_provider)
        _select(self.ngrok_region, settings.ngrok_region or "")
        self.ngrok_path.setText(settings.ngrok_path or "")
        self.external_url.setText(settings.external_url or "")
        self.allow_legacy.setChecked(settings.allow_legacy_signature)
        self.tolerance.setValue(settings.signature_tolerance_s)
        self.ngrok_token.clear()
        self.ngrok_token.setPlaceholderText(
            "Saved in the keyring — type to replace"
            if self._has_ngrok_token()
            else "Paste your ngrok authtoken"
        )
        self._sync_tunnel_fields()

    def changes(self) -> dict[str, Any]:
        provider = self.tunnel_provider.currentData()
        return {
            "theme": self.theme.currentData(),
            "notifications": self.notifications.isChecked(),
            "launch_minimized": self.launch_minimized.isChecked(),
            "listener_host": self.listener_host.text().strip(),
            "listener_port": self.listener_port.value(),
            "listener_path": self.listener_path.text().strip(),
            "tunnel_provider": provider,
            "ngrok_region": _optional(self.ngrok_region.currentData() or ""),
            "ngrok_path": _optional(self.ngrok_path.text()),
            "external_url": _optional(self.external_url.text()),
            "allow_legacy_signature": self.allow_legacy.isChecked(),
            "signature_tolerance_s": self.tolerance.value(),
        }

    def _sync_tunnel_fields(self) -> None:
        provider = self.tunnel_provider.currentData()
        for widget in (self.ngrok_token, self.ngrok_region, self.ngrok_path):
            widget.setEnabled(provider == "ngrok")
        self.external_url.setEnabled(provider == "external")

    def _show_error(self, exc: BlooioError) -> None:
        field = getattr(exc, "field", None)
        label = self._errors.get(field or "")
        if label is None:
            self.error.setText(describe_error(exc))
        else:
            label.setText(exc.message)
            label.show()

    def validate(self) -> Settings | None:
        """The new Settings, or None after showing what is wrong next to the field."""
        for label in self._errors.values():
            label.hide()
        self.error.clear()
        changes = self.changes()
        if not changes["listener_host"]:
            self._show_error(
                ValidationError("Enter a host, e.g. 127.0.0.1.", field="listener_host")
            )
            return None
        if changes["tunnel_provider"] == "external" and not changes["external_url"]:
            self._show_error(
                ValidationError(
                    "Enter the public URL of your tunnel or server.", field="external_url"
                )
            )
            return None
        try:
            return self._context.settings.value.replace(**changes)
        except ValidationError as exc:
            self._show_error(exc)
            return None

    def save(self) -> bool:
        settings = self.validate()
        if settings is None:
            return False
        token = self.ngrok_token.text().strip()
        try:
            if token:
                self._context.secrets.set_ngrok_authtoken(token)
            self._context.settings.replace(settings)
        except BlooioError as exc:
            self._show_error(exc)
            return False
        self.ngrok_token.clear()
        self.accept()
        return True

    def _has_ngrok_token(self) -> bool:
        try:
            return bool(self._context.secrets.ngrok_authtoken())
        except BlooioError:
            return False
