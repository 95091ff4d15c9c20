"""Rename a group (`grp_…`) or a contact (phone/email) through the API; an empty contact name clears it."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from blooio_desktop.core.errors import BlooioError
from blooio_desktop.core.identifiers import is_group_id
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.layout import Button, dialog_buttons, dialog_layout
from blooio_desktop.ui.error_text import describe_error, inline_error
from blooio_desktop.ui.tasks import async_slot


class RenameDialog(QDialog):
    """Emits `renamed(target, new_name)`; `new_name` is "" when a contact's name was cleared."""

    renamed = Signal(str, str)

    def __init__(
        self,
        context: AppContext,
        target: str,
        current_name: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._target = target
        self.is_group = is_group_id(target)
        self.setWindowTitle("Rename group" if self.is_group else "Rename contact")
        self.setMinimumWidth(380)
        self.name = QLineEdit(current_name or "", self)
        self.name.setAccessibleName("New name")
        self.name.selectAll()
        self.error = inline_error(self)
        self.buttons, self.save_button = dialog_buttons(self, self._save, Button.Save)
        form = QFormLayout()
        form.addRow("For:", QLabel(target, self))
        form.addRow("Name:", self.name)
        layout = dialog_layout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    @async_slot()
    async def _save(self) -> None:
        name = self.name.text().strip()
        client = self._context.client
        if self.is_group and not name:
            self.error.setText("A group needs a name.")
            return
        if client is None:
            self.error.setText("Not connected yet: try again in a moment.")
            return
        self.save_button.setEnabled(False)
        try:
            if self.is_group:
                await client.rename_group(self._target, name)
            else:
                await client.rename_contact(self._target, name or None)
        except BlooioError as exc:
            self.error.setText(describe_error(exc))
            return
        finally:
            self.save_button.setEnabled(True)
        self.renamed.emit(self._target, name)
        self.accept()
