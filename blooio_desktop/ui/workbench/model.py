"""Deliveries as a table (newest first) plus a proxy that filters them by event and verdict.

New deliveries arrive one at a time (`DeliveryRecorded`), so the model inserts single rows at the top
instead of resetting; the view keeps its selection and scroll position while traffic flows.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.ui.record_table import RecordTableModel

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


class DeliveriesModel(RecordTableModel[WebhookDelivery]):
    columns = COLUMNS

    def set_deliveries(self, deliveries: Iterable[WebhookDelivery]) -> None:
        """Replace everything (initial load); `deliveries` in any order."""
        ordered = sorted(deliveries, key=lambda d: (d.received_at, d.id or 0), reverse=True)
        self._replace_all(ordered[:MAX_ROWS])

    def add(self, delivery: WebhookDelivery) -> None:
        """A new delivery goes on top; a known id is updated in place (e.g. its verdict was refined)."""
        row = self.row_of(delivery.id)
        if row is not None:
            self._update_row(row, delivery)
            return
        self._insert_row(0, delivery)
        if len(self._rows) > MAX_ROWS:
            self._remove_row(len(self._rows) - 1)

    def delivery(self, row: int) -> WebhookDelivery:
        return self._rows[row]

    def events(self) -> list[str]:
        return sorted({d.event for d in self._rows if d.event})

    def key_of(self, record: WebhookDelivery) -> int | None:
        return record.id

    def cells(self, record: WebhookDelivery) -> tuple[str, ...]:
        return (
            datetime.fromtimestamp(record.received_at).strftime("%H:%M:%S"),
            event_label(record),
            record.verdict,
            str(record.response_status),
            record.message_id or "",
            delay_text(record),
        )

    def role_data(self, record: WebhookDelivery, column: int, role: int) -> Any:
        if role == DeliveryRole:
            return record
        if role == VerdictRole:
            return record.verdict
        if role == EventRole:
            return record.event or ""
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (3, 5):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


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
