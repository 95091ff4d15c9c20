"""New chat: one phone number (E.164) or email, validated as you type, with its iMessage/SMS reach
checked before the first message is ever sent.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.errors import ApiError, BlooioError, ValidationError
from blooio_desktop.core.identifiers import normalize_handle
from blooio_desktop.core.models import Capabilities
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.layout import dialog_buttons, dialog_layout
from blooio_desktop.ui.error_text import describe_error, inline_error
from blooio_desktop.ui.tasks import async_slot

CAPABILITY_DEBOUNCE_MS = 400


def capability_text(caps: Capabilities) -> str:
    if caps.imessage:
        return "✓ Reachable on iMessage" + (" (SMS fallback available)" if caps.sms else "")
    if caps.sms:
        return "SMS only: messages go out as green bubbles, no read receipts or typing."
    return "Not reachable by iMessage or SMS: messages may fail."


class NewChatDialog(QDialog):
    """Emits `chat_created(chat_id)` once the recipient is valid and (optionally) named."""

    chat_created = Signal(str)
    capabilities_shown = Signal(str)  # the text shown, after each finished check

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._generation = 0
        self.setWindowTitle("New chat")
        self.setMinimumWidth(420)
        self.recipient = QLineEdit(self)
        self.recipient.setPlaceholderText("+15551234567 or name@example.com")
        self.recipient.setAccessibleName("Phone number or email")
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Optional")
        self.name.setAccessibleName("Contact name")
        self.error = inline_error(self)
        self.capability = QLabel(self)
        self.capability.setWordWrap(True)
        self.capability.setAccessibleName("Reachability")
        self.buttons, self.start_button = dialog_buttons(self, self._start, text="Start chat")
        self.start_button.setEnabled(False)
        form = QFormLayout()
        form.addRow("To:", self.recipient)
        form.addRow("Name:", self.name)
        layout = dialog_layout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.capability)
        layout.addWidget(self.buttons)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(CAPABILITY_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._check_capabilities)
        self.recipient.textChanged.connect(self._on_text_changed)

    def handle(self) -> str | None:
        """The normalised recipient, or None while the input is not valid."""
        try:
            return normalize_handle(self.recipient.text())
        except ValidationError:
            return None

    def _on_text_changed(self, text: str) -> None:
        self._generation += 1
        self.capability.clear()
        if not text.strip():
            self.error.clear()
            self.start_button.setEnabled(False)
            return
        try:
            normalize_handle(text)
        except ValidationError as exc:
            self.error.setText(exc.message)
            self.start_button.setEnabled(False)
            self._debounce.stop()
            return
        self.error.clear()
        self.start_button.setEnabled(True)
        self._debounce.start()

    @async_slot()
    async def _check_capabilities(self) -> None:
        handle = self.handle()
        client = self._context.client
        if handle is None or client is None:
            return
        generation = self._generation
        self.capability.setText("Checking iMessage / SMS reach…")
        try:
            caps = await client.capabilities(handle)
            text = capability_text(caps)
        except BlooioError as exc:
            text = f"Could not check reach: {describe_error(exc)}"
        if generation == self._generation:  # the user has not typed since
            self.capability.setText(text)
            self.capabilities_shown.emit(text)

    @async_slot()
    async def _start(self) -> None:
        handle = self.handle()
        if handle is None:
            return
        name = self.name.text().strip()
        self.start_button.setEnabled(False)
        client = self._context.client
        try:
            if name and client is not None:
                await self._save_contact(client, handle, name)
        except BlooioError as exc:
            self.error.setText(describe_error(exc))
            return
        finally:
            self.start_button.setEnabled(self.handle() is not None)
        self.chat_created.emit(handle)
        self.accept()

    @staticmethod
    async def _save_contact(client: BlooioClient, handle: str, name: str) -> None:
        try:
            await client.create_contact(handle, name=name)
        except ApiError as exc:
            if exc.status != 409:  # an existing contact just gets the new name
                raise
            await client.rename_contact(handle, name)
