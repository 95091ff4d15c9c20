"""Edit the URLs every verified delivery is forwarded to (a local bot, a second service…)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blooio_desktop.config.settings import ForwardTarget
from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.urls import validate_http_url
from blooio_desktop.ui.dialogs.layout import dialog_buttons
from blooio_desktop.ui.error_text import inline_error


class ForwardTargetsDialog(QDialog):
    """`targets()` holds the edited list after the dialog is accepted."""

    def __init__(self, targets: Sequence[ForwardTarget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Forward targets")
        self.resize(480, 320)
        intro = QLabel(
            "Each verified delivery is also POSTed, byte for byte and freshly signed, to these URLs "
            "(optionally only some events).",
            self,
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Forward target URLs")
        for target in targets:
            self._append(target)
        self.url = QLineEdit(self)
        self.url.setPlaceholderText("http://127.0.0.1:3000/webhook")
        self.url.setAccessibleName("New forward target URL")
        self.events = QLineEdit(self)
        self.events.setPlaceholderText("all events")
        self.events.setAccessibleName("Only these events, comma separated")
        self.add_button = QPushButton("Add", self)
        self.remove_button = QPushButton("Remove", self)
        self.error = inline_error(self)
        buttons, _ok = dialog_buttons(self, self.accept)
        row = QHBoxLayout()
        row.addWidget(self.url, 2)
        row.addWidget(self.events, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self.add_current)
        self.url.returnPressed.connect(self.add_current)
        self.remove_button.clicked.connect(self._remove_selected)

    def add_current(self) -> bool:
        try:
            url = validate_http_url(self.url.text(), what="forward target")
        except ValidationError as exc:
            self.error.setText(exc.message)
            return False
        if any(t.url == url for t in self.targets()):
            self.error.setText(f"{url} is already in the list.")
            return False
        events = tuple(e.strip() for e in self.events.text().split(",") if e.strip())
        self._append(ForwardTarget(url, events))
        self.url.clear()
        self.events.clear()
        self.error.clear()
        return True

    def _append(self, target: ForwardTarget) -> None:
        label = f"{target.url}    ({', '.join(target.events) if target.events else 'all events'})"
        item = QListWidgetItem(label, self.list)
        item.setData(Qt.ItemDataRole.UserRole, target)

    def _remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))

    def targets(self) -> tuple[ForwardTarget, ...]:
        return tuple(
            self.list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.list.count())
        )
