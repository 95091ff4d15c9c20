"""New group: a name and its members (phones or emails), each member validated with a specific message."""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from blooio_desktop.core.errors import BlooioError, ValidationError
from blooio_desktop.core.identifiers import normalize_handle
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.layout import dialog_buttons, dialog_layout
from blooio_desktop.ui.error_text import describe_error, inline_error
from blooio_desktop.ui.tasks import async_slot

_SEPARATORS = re.compile(r"[\n,;]+")


def parse_members(text: str) -> list[str]:
    """Members separated by newlines, commas or semicolons; normalised, deduplicated, in order.

    Raises ValidationError naming the first bad entry.
    """
    members: list[str] = []
    for raw in _SEPARATORS.split(text):
        if raw.strip():
            handle = normalize_handle(raw)
            if handle not in members:
                members.append(handle)
    if not members:
        raise ValidationError("Add at least one member (a phone number or email).", field="members")
    return members


class NewGroupDialog(QDialog):
    """Creates the group through the API and emits `group_created(group_id)`."""

    group_created = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.setWindowTitle("New group")
        self.setMinimumWidth(440)
        self.name = QLineEdit(self)
        self.name.setPlaceholderText("Weekend plans")
        self.name.setAccessibleName("Group name")
        self.members = QPlainTextEdit(self)
        self.members.setPlaceholderText("+15551234567\nfriend@example.com")
        self.members.setAccessibleName("Members, one per line")
        self.members.setTabChangesFocus(True)
        self.error = inline_error(self)
        self.buttons, self.create_button = dialog_buttons(self, self._create, text="Create group")
        form = QFormLayout()
        form.addRow("Name:", self.name)
        form.addRow("Members:", self.members)
        layout = dialog_layout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def validate(self) -> tuple[str, list[str]] | None:
        """The (name, members) to create, or None after showing what is wrong."""
        name = self.name.text().strip()
        if not name:
            self.error.setText("Give the group a name.")
            return None
        try:
            members = parse_members(self.members.toPlainText())
        except ValidationError as exc:
            self.error.setText(exc.message)
            return None
        self.error.clear()
        return name, members

    @async_slot()
    async def _create(self) -> None:
        valid = self.validate()
        client = self._context.client
        if valid is None:
            return
        if client is None:
            self.error.setText("Not connected yet: try again in a moment.")
            return
        self.create_button.setEnabled(False)
        try:
            group = await client.create_group(valid[0], valid[1])
        except BlooioError as exc:
            self.error.setText(describe_error(exc))
            return
        finally:
            self.create_button.setEnabled(True)
        self.group_created.emit(group.group_id)
        self.accept()
