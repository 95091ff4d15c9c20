"""Deliveries as a table (newest first) plus a proxy that filters them by event and verdict.

New deliveries arrive one at a time (`DeliveryRecorded`), so the model inserts single rows at the top
instead of resetting; the view keeps its selection and scroll position while traffic flows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from blooio_desktop.core.models import WebhookDelivery

DeliveryRole = Qt.ItemDataRole.UserRole + 1
VerdictRole = Qt.ItemDataRole.UserRole + 2
EventRole = Qt.ItemDataRole.UserRole + 3
_Index = QModelIndex | QPersistentModelIndex

COLUMNS: tuple[str, ...] = ("Time", "Event", "Verdict", "HTTP", "Message", "Delay")
VERDICT_COLUMN = COLUMNS.index("Verdict")
MAX_ROWS = 5000  # the store keeps everything; the live view keeps the newest


def delay_text(delivery: WebhookDelivery) -> str:
    if delivery.delay_ms is None:
        return ""
    if abs(delivery.delay_ms) < 1000:
        return f"{delivery.delay_ms:.0f} ms"
    return f"{delivery.delay_ms / 1000:.1f} s"


def event_label(delivery: WebhookDelivery) -> str:
    label = delivery.event or "(no event)"
    return f"{label} ↻" if delivery.replay_of is not None else label


class DeliveriesModel(QAbstractTableModel):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[WebhookDelivery] = []

    def set_deliveries(self, deliveries: Iterable[WebhookDelivery]) -> None:
        """Replace everything (initial load); `deliveries` in any order."""
        ordered = sorted(deliveries, key=lambda d: (d.received_at, d.id or 0), reverse=True)
        self.beginResetModel()
        self._rows = ordered[:MAX_ROWS]
        self.endResetModel()

    def add(self, delivery: WebhookDelivery) -> None:
        """A new delivery goes on top; a known id is updated in place (e.g. its verdict was refined)."""
        row = self.row_of(delivery.id)
        if row is not None:
            self._rows[row] = delivery
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
            return
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, delivery)
        self.endInsertRows()
        if len(self._rows) > MAX_ROWS:
            last = len(self._rows) - 1
            self.beginRemoveRows(QModelIndex(), last, last)
            self._rows.pop()
            self.endRemoveRows()

    def row_of(self, delivery_id: int | None) -> int | None:
        if delivery_id is None:
            return None
        for row, delivery in enumerate(self._rows):
            if delivery.id == delivery_id:
                return row
        return None

    def delivery(self, row: int) -> WebhookDelivery:
        return self._rows[row]

    def events(self) -> list[str]:
        return sorted({d.event for d in self._rows if d.event})

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
        d = self._rows[index.row()]
        if role == DeliveryRole:
            return d
        if role == VerdictRole:
            return d.verdict
        if role == EventRole:
            return d.event or ""
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._cell(d, index.column())
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() in (3, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _cell(d: WebhookDelivery, column: int) -> str:
        values = (
            datetime.fromtimestamp(d.received_at).strftime("%H:%M:%S"),
            event_label(d),
            d.verdict,
            str(d.response_status),
            d.message_id or "",
            delay_text(d),
        )
        return values[column] if 0 <= column < len(values) else ""


class DeliveryFilterProxy(QSortFilterProxyModel):
    """Rows whose event and verdict match the chosen filters ("" = any)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._event = ""
        self._verdict = ""

    def set_event(self, event: str) -> None:
        self.beginFilterChange()
        self._event = event
        self.endFilterChange()

    def set_verdict(self, verdict: str) -> None:
        self.beginFilterChange()
        self._verdict = verdict
        self.endFilterChange()

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if self._event and model.data(index, EventRole) != self._event:
            return False
        return not (self._verdict and model.data(index, VerdictRole) != self._verdict)
