"""Connect a Blooio account: the API key is checked live (`GET /me`, `GET /me/numbers`) with a throwaway
client, stored in the OS keyring, and from then on only ever shown masked (`bl_live_…abcd`).

The base URL hides under "Advanced"; the default sending number comes from the key's own numbers.
Failures are specific: invalid key (401), no network, keyring unavailable (with what to install).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.core.errors import BlooioError, CredentialError
from blooio_desktop.core.models import Account, PhoneNumber
from blooio_desktop.core.urls import normalize_base_url
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.layout import Button, dialog_buttons, dialog_layout
from blooio_desktop.ui.error_text import describe_error, inline_error
from blooio_desktop.ui.tasks import async_slot

CHECK_TIMEOUT_S = 10.0
_KEY_PREFIXES = ("bl_live_", "bl_test_", "sk_live_", "sk_test_")


def mask_api_key(key: str) -> str:
    """`bl_live_…abcd`: enough to recognise which key it is, never enough to use it."""
    prefix = next((p for p in _KEY_PREFIXES if key.startswith(p)), "")
    if len(key) - len(prefix) < 8:
        return f"{prefix}…"
    return f"{prefix}…{key[-4:]}"


def account_summary(account: Account, numbers: list[PhoneNumber]) -> str:
    org = account.organization_name or account.organization_id or "your organisation"
    count = len(numbers)
    return f"✓ Key accepted for {org} · {count} sending number{'s' if count != 1 else ''}"


class AccountDialog(QDialog):
    """Emits `account_saved(masked_key)` after the key is in the keyring and the settings are saved;
    the composition root then reconnects with the new account."""

    account_saved = Signal(str)
    check_finished = Signal(bool)  # after every live check: True when the key was accepted

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._checked: tuple[str, str] | None = None  # (key, base_url) that passed the live check
        self.setWindowTitle("Blooio account")
        self.setMinimumWidth(500)
        title = QLabel("Connect your Blooio account", self)
        title.setObjectName("DialogTitle")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        title.setFont(font)
        intro = QLabel(
            "Paste an API key from your Blooio dashboard. It is checked with Blooio, kept in your "
            "system keyring, and never shown in full again.",
            self,
        )
        intro.setWordWrap(True)
        intro.setEnabled(False)  # secondary text colour
        self.saved_key = QLabel(self)
        self.saved_key.setAccessibleName("Saved API key")
        self.api_key = QLineEdit(self)
        self.api_key.setEchoMode(QLineEdit.EchoMode.Password)
        self.api_key.setPlaceholderText("bl_live_…")
        self.api_key.setAccessibleName("API key")
        self.api_key.setMinimumWidth(260)
        self.check_button = QPushButton("Check key", self)
        key_row = QHBoxLayout()
        key_row.addWidget(self.api_key, 1)
        key_row.addWidget(self.check_button)
        self.number = QComboBox(self)
        self.number.setAccessibleName("Default sending number")
        self.number.setPlaceholderText("Check the key to list your numbers")
        self.number.setEnabled(False)
        self.base_url = QLineEdit(context.settings.value.base_url, self)
        self.base_url.setAccessibleName("API base URL")
        self.advanced = QToolButton(self)
        self.advanced.setText("Advanced")
        self.advanced.setCheckable(True)
        self.advanced.setAutoRaise(True)
        self.advanced.setArrowType(Qt.ArrowType.RightArrow)
        self.advanced.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.advanced_box = QWidget(self)
        advanced_form = QFormLayout(self.advanced_box)
        advanced_form.setContentsMargins(0, 0, 0, 0)
        advanced_form.addRow("Base URL:", self.base_url)
        self.advanced_box.setVisible(False)
        self.advanced.toggled.connect(self._toggle_advanced)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Account check result")
        self.error = inline_error(self)
        self.error.setAccessibleName("Account error")
        for label in (self.status, self.error):
            label.hide()
        self.buttons, self.save_button = dialog_buttons(self, self.save, Button.Save)
        self.save_button.setEnabled(False)
        form = QFormLayout()
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(10)
        form.addRow("Saved key:", self.saved_key)
        form.addRow("API key:", key_row)
        form.addRow("Send from:", self.number)
        layout = dialog_layout(self)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.advanced, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.advanced_box)
        layout.addWidget(self.status)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(self.buttons)
        self.check_button.clicked.connect(self.check)
        self.api_key.returnPressed.connect(self.check)
        self.api_key.textChanged.connect(self._invalidate)
        self.base_url.textChanged.connect(self._invalidate)
        self._show_saved_key()

    def _stored_key(self) -> str | None:
        try:
            return self._context.secrets.api_key()
        except CredentialError:
            return None

    def _show_saved_key(self) -> None:
        key = self._stored_key()
        self.saved_key.setText(mask_api_key(key) if key else "none (using the built-in sandbox)")

    def _candidate_key(self) -> str:
        """The typed key, else the saved one (so the number or base URL can change on their own)."""
        return self.api_key.text().strip() or (self._stored_key() or "")

    def _invalidate(self) -> None:
        self._checked = None
        self.save_button.setEnabled(False)

    def _toggle_advanced(self, shown: bool) -> None:
        self.advanced.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        self.advanced_box.setVisible(shown)

    def _set_error(self, text: str) -> None:
        self.status.hide()
        self.error.setText(text)
        self.error.show()

    def _set_ok(self, text: str) -> None:
        self.error.hide()
        self.status.setText(text)
        self.status.show()

    @async_slot()
    async def check(self) -> None:
        """Live check of the key against `/me` and `/me/numbers`; enables Save when it passes."""
        await self.check_now()

    async def check_now(self) -> bool:
        key = self._candidate_key()
        self._invalidate()
        if not key:
            self._set_error("Paste your API key first.")
            self.check_finished.emit(False)
            return False
        self.check_button.setEnabled(False)
        self._set_ok("Checking the key with Blooio…")
        try:
            base_url = normalize_base_url(self.base_url.text())
            async with BlooioClient(
                key, base_url, timeout=CHECK_TIMEOUT_S, retry=RetryPolicy(max_retries=0)
            ) as client:
                account = await client.me()
                numbers = await client.numbers()
        except BlooioError as exc:
            self._set_error(describe_error(exc))
            self.check_finished.emit(False)
            return False
        finally:
            self.check_button.setEnabled(True)
        self._fill_numbers(numbers)
        self._set_ok(account_summary(account, numbers))
        self._checked = (key, base_url)
        self.save_button.setEnabled(True)
        self.check_finished.emit(True)
        return True

    def _fill_numbers(self, numbers: list[PhoneNumber]) -> None:
        self.number.clear()
        self.number.addItem("Blooio chooses", None)
        for number in numbers:
            suffix = "" if number.is_active else " (inactive)"
            plan = f" · {number.plan_kind}" if number.plan_kind else ""
            self.number.addItem(f"{number.phone_number}{plan}{suffix}", number.phone_number)
        current = self._context.settings.value.default_from_number
        self.number.setCurrentIndex(max(0, self.number.findData(current)))
        self.number.setEnabled(bool(numbers))

    def save(self) -> bool:
        """Key to the keyring, base URL and number to the settings; only after a passed check."""
        if self._checked is None:
            self._set_error("Check the key before saving.")
            return False
        key, base_url = self._checked
        try:
            if key != self._stored_key():
                self._context.secrets.set_api_key(key)
            self._context.settings.update(
                base_url=base_url, default_from_number=self.number.currentData()
            )
        except BlooioError as exc:
            self._set_error(describe_error(exc))
            return False
        self.api_key.clear()
        self._show_saved_key()
        self.account_saved.emit(mask_api_key(key))
        self.accept()
        return True
