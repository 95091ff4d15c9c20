"""Status-bar feedback for the sync engine: a progress bar while history is fetched, then a short
message such as "12 messages backfilled", and the store's own failures (disk full, damaged file).

It follows `SyncProgress`, `BackfillReport` and `StoreFailure` events from the bus.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QStatusBar, QWidget

from blooio_desktop.services.events import BackfillReport, StoreFailure, SyncProgress
from blooio_desktop.ui.context import AppContext

MESSAGE_MS = 8000
_PHASE_TEXT = {
    "chats": "Fetching chats…",
    "history": "Fetching history…",
    "backfill": "Catching up…",
}


class SyncStatusWidget(QWidget):
    """`message_shown(text)` fires whenever a sync outcome is announced in the status bar."""

    message_shown = Signal(str)

    def __init__(
        self, context: AppContext, status_bar: QStatusBar, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._status_bar = status_bar
        self.label = QLabel(self)
        self.label.setAccessibleName("Sync status")
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Sync progress")
        self.progress.setFixedWidth(140)
        self.progress.setTextVisible(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 8, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.progress)
        self.hide()
        if context.bridge is not None:
            context.bridge.bus_event.connect(self.on_event)

    def on_event(self, event: object) -> None:
        if isinstance(event, SyncProgress):
            self._show_progress(event)
        elif isinstance(event, BackfillReport) and event.count > 0:
            self._announce(event.summary)
        elif isinstance(event, StoreFailure):
            self._announce(f"Could not save {event.action}: {event.error.message}")

    def _show_progress(self, event: SyncProgress) -> None:
        if event.phase == "done":
            self.hide()
            return
        self.label.setText(_PHASE_TEXT.get(event.phase, "Syncing…"))
        if event.total:
            self.progress.setRange(0, event.total)
            self.progress.setValue(min(event.done, event.total))
        else:
            self.progress.setRange(0, 0)  # busy indicator while the total is unknown
        self.show()

    def _announce(self, text: str) -> None:
        self._status_bar.showMessage(text, MESSAGE_MS)
        self.message_shown.emit(text)
