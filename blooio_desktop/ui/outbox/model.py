"""Table model over the outbox: one row per send that has not been accepted yet, keyed by its
idempotency key, so a `Changes.outbox` event updates, inserts or removes just those rows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QGuiApplication

from blooio_desktop.core.models import OutboxItem, OutboxState
from blooio_desktop.ui.theme import colors_for

KeyRole = Qt.ItemDataRole.UserRole + 1
ItemRole = Qt.ItemDataRole.UserRole + 2
_Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[str, ...] = (
    "State",
    "Chat",
    "Message",
    "Attempts",
    "Next retry",
    "Last error",
    "Idempotency key",
)
_STATE_LABELS: dict[OutboxState, str] = {
    OutboxState.PENDING: "Waiting",
    OutboxState.SENDING: "Sending…",
    OutboxState.SENT: "Sent",
    OutboxState.FAILED: "Failed",
}


def is_visible(item: OutboxItem) -> bool:
    """The outbox view shows only what still needs attention: accepted sends leave it."""
    return item.state is not OutboxState.SENT


def next_retry_text(item: OutboxItem, now: float | None = None) -> str:
    if item.state is OutboxState.FAILED or item.next_attempt_at is None:
        return "—"
    wait = item.next_attempt_at - (time.time() if now is None else now)
    if wait <= 0:
        return "now"
    if wait < 90:
        return f"in {wait:.0f} s"
    return datetime.fromtimestamp(item.next_attempt_at).strftime("%H:%M:%S")


def message_text(item: OutboxItem) -> str:
    text = (item.text or "").replace("\n", " ")
    if item.attachments:
        count = len(item.attachments)
        text = f"{text} (+{count} attachment{'s' if count > 1 else ''})".strip()
    return text


class OutboxModel(QAbstractTableModel):
    """Rows in creation order; `apply()` merges fresh item values without resetting the model."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[OutboxItem] = []

    def set_items(self, items: Iterable[OutboxItem]) -> None:
        self.beginResetModel()
        self._rows = sorted((i for i in items if is_visible(i)), key=lambda i: i.created_at)
        self.endResetModel()

    def apply(self, keys: Iterable[str], fresh: dict[str, OutboxItem]) -> None:
        """Reflect the current value of each key in `keys`: `fresh` holds those that still exist."""
        for key in keys:
            item = fresh.get(key)
            row = self.row_of(key)
            if item is None or not is_visible(item):
                if row is not None:
                    self.beginRemoveRows(QModelIndex(), row, row)
                    del self._rows[row]
                    self.endRemoveRows()
            elif row is None:
                at = len(self._rows)
                self.beginInsertRows(QModelIndex(), at, at)
                self._rows.append(item)
                self.endInsertRows()
            else:
                self._rows[row] = item
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def row_of(self, key: str) -> int | None:
        for row, item in enumerate(self._rows):
            if item.idempotency_key == key:
                return row
        return None

    def item(self, row: int) -> OutboxItem:
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        if role == KeyRole:
            return item.idempotency_key
        if role == ItemRole:
            return item
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cell(item, index.column())
        if role == Qt.ItemDataRole.ForegroundRole and item.state is OutboxState.FAILED:
            return (
                colors_for(QGuiApplication.palette()).q("danger") if index.column() == 0 else None
            )
        return None

    @staticmethod
    def _cell(item: OutboxItem, column: int) -> str:
        values = (
            _STATE_LABELS.get(item.state, str(item.state)),
            item.chat_id,
            message_text(item),
            str(item.attempts),
            next_retry_text(item),
            item.last_error or "",
            item.idempotency_key,
        )
        return values[column] if 0 <= column < len(values) else ""
