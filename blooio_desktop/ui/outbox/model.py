"""Table model over the outbox: one row per send that has not been accepted yet, keyed by its
idempotency key, so a `Changes.outbox` event updates, inserts or removes just those rows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from blooio_desktop.core.models import OutboxItem, OutboxState
from blooio_desktop.ui.record_table import RecordTableModel
from blooio_desktop.ui.theme import colors_for

KeyRole = Qt.ItemDataRole.UserRole + 1
ItemRole = Qt.ItemDataRole.UserRole + 2

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


class OutboxModel(RecordTableModel[OutboxItem]):
    """Rows in creation order; `apply()` merges fresh item values without resetting the model."""

    columns = COLUMNS

    def set_items(self, items: Iterable[OutboxItem]) -> None:
        self._replace_all(sorted((i for i in items if is_visible(i)), key=lambda i: i.created_at))

    def apply(self, keys: Iterable[str], fresh: dict[str, OutboxItem]) -> None:
        """Reflect the current value of each key in `keys`: `fresh` holds those that still exist."""
        for key in keys:
            item = fresh.get(key)
            row = self.row_of(key)
            if item is None or not is_visible(item):
                if row is not None:
                    self._remove_row(row)
            elif row is None:
                self._insert_row(len(self._rows), item)
            else:
                self._update_row(row, item)

    def item(self, row: int) -> OutboxItem:
        return self._rows[row]

    def key_of(self, record: OutboxItem) -> str:
        return record.idempotency_key

    def cells(self, record: OutboxItem) -> tuple[str, ...]:
        return (
            _STATE_LABELS.get(record.state, str(record.state)),
            record.chat_id,
            message_text(record),
            str(record.attempts),
            next_retry_text(record),
            record.last_error or "",
            record.idempotency_key,
        )

    def role_data(self, record: OutboxItem, column: int, role: int) -> Any:
        if role == KeyRole:
            return record.idempotency_key
        if role == ItemRole:
            return record
        if role == Qt.ItemDataRole.ForegroundRole and record.state is OutboxState.FAILED:
            return colors_for(QGuiApplication.palette()).q("danger") if column == 0 else None
        return None
