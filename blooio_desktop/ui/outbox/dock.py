"""The outbox dock: sends that are waiting, retrying or failed, with retry (optionally edited) and discard.

Rows come from the store's outbox table; `Changes.outbox` keys say which rows to re-read, so a busy
outbox never resets the view. Retry and discard go through `MessagingService`, which keeps the same
Idempotency-Key, so a retry can never send the message twice.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QDockWidget,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from blooio_desktop.core.errors import BlooioError
from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import OutboxItem, OutboxState
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.store.outbox import OutboxRepository
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.error_text import describe_error, inline_error
from blooio_desktop.ui.outbox.model import COLUMNS, OutboxModel
from blooio_desktop.ui.record_table import record_table_view
from blooio_desktop.ui.tasks import TaskSet, async_slot

TICK_MS = 1000  # "next retry in N s" counts down


class OutboxDock(QDockWidget):
    """`action_finished(key)` fires after each retry/discard completed (or failed inline)."""

    action_finished = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Outbox", parent)
        self._context = context
        self._tasks = TaskSet()
        self.setObjectName("OutboxDock")
        self.model = OutboxModel(self)
        self.table = record_table_view(
            self.model, "Pending and failed sends", ("Message", "Last error"), self
        )
        self.table.setAlternatingRowColors(True)
        self.empty = QLabel("Nothing waiting: every message was accepted by Blooio.", self)
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.table)
        self.retry_button = QPushButton("Retry", self)
        self.edit_button = QPushButton("Edit && retry…", self)
        self.discard_button = QPushButton("Discard", self)
        self.error = inline_error(self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        for button in (self.retry_button, self.edit_button, self.discard_button):
            buttons.addWidget(button)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.setWidget(body)
        self.retry_button.clicked.connect(self._retry)
        self.edit_button.clicked.connect(self._edit_and_retry)
        self.discard_button.clicked.connect(self._discard)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._update_chrome)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._refresh_countdown)
        if context.bridge is not None:
            context.bridge.changes.connect(self.on_changes)
        self.reload()

    def _repo(self) -> OutboxRepository:
        return OutboxRepository(self._context.db.read())

    def reload(self) -> None:
        self.model.set_items(self._repo().items())

    def on_changes(self, changes: Changes) -> None:
        if not changes.outbox:
            return
        repo = self._repo()
        fresh = {key: item for key in changes.outbox if (item := repo.get(key)) is not None}
        self.model.apply(sorted(changes.outbox), fresh)
        self._update_buttons()

    def select_key(self, key: str) -> bool:
        row = self.model.row_of(key)
        if row is None:
            return False
        self.table.selectionModel().select(
            self.model.index(row, 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        return True

    def selected_item(self) -> OutboxItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _update_chrome(self) -> None:
        count = self.model.rowCount()
        self.setWindowTitle(f"Outbox ({count})" if count else "Outbox")
        self.stack.setCurrentWidget(self.table if count else self.empty)
        if count:
            self._tick.start()
        else:
            self._tick.stop()
        self._update_buttons()

    def _update_buttons(self) -> None:
        item = self.selected_item()
        actionable = item is not None and item.state in (OutboxState.FAILED, OutboxState.PENDING)
        for button in (self.retry_button, self.edit_button, self.discard_button):
            button.setEnabled(actionable)

    def _refresh_countdown(self) -> None:
        column = COLUMNS.index("Next retry")
        if self.model.rowCount():
            self.model.dataChanged.emit(
                self.model.index(0, column), self.model.index(self.model.rowCount() - 1, column)
            )

    @async_slot()
    async def _retry(self) -> None:
        item = self.selected_item()
        if item is not None:
            await self.retry(item.idempotency_key)

    def _edit_and_retry(self) -> None:
        """A plain slot: a modal dialog must not run inside an asyncio task (nested event loop)."""
        item = self.selected_item()
        if item is None:
            return
        text, ok = QInputDialog.getMultiLineText(
            self, "Edit and retry", "Message:", item.text or "", Qt.WindowType.Dialog
        )
        if ok:
            self._tasks.spawn(self.retry(item.idempotency_key, text))

    @async_slot()
    async def _discard(self) -> None:
        item = self.selected_item()
        if item is not None:
            await self.discard(item.idempotency_key)

    async def retry(self, key: str, text: str | None = None) -> None:
        """Send again now with the same Idempotency-Key (and the edited text, if any)."""
        await self._run(key, lambda messaging: messaging.retry(key, text=text))

    async def discard(self, key: str) -> None:
        await self._run(key, lambda messaging: messaging.discard(key))

    async def _run(self, key: str, action: Callable[[MessagingService], Awaitable[object]]) -> None:
        messaging = self._context.messaging
        self.error.clear()
        if messaging is None:
            self.error.setText("Not connected yet: try again in a moment.")
            self.action_finished.emit(key)
            return
        for button in (self.retry_button, self.edit_button, self.discard_button):
            button.setEnabled(False)
        try:
            await action(messaging)
        except BlooioError as exc:
            self.error.setText(describe_error(exc))
        finally:
            self._update_buttons()
            self.action_finished.emit(key)
