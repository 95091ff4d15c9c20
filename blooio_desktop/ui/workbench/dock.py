"""The webhook workbench: every delivery that reached the listener, live, with its verdict; filter,
inspect, replay (as is, or edited and re-signed valid / bad / expired), forward, fixtures, export.

All actions go through `InspectorService`, which posts through the real listener, so a replay shows
up as a new row with the verdict the app really gave it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import httpx
from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDockWidget,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from blooio_desktop.config.settings import ForwardTarget
from blooio_desktop.core.errors import BlooioError
from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.core.redact import redact
from blooio_desktop.services.inspector import DeliveryRecorded, ForwardRecorded, ReplayResult
from blooio_desktop.store.deliveries import DeliveryFilter
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.error_text import describe_error
from blooio_desktop.ui.record_table import record_table_view
from blooio_desktop.ui.tasks import TaskSet, async_slot
from blooio_desktop.ui.workbench.detail import DeliveryDetail
from blooio_desktop.ui.workbench.fixture_trigger import FixtureTrigger
from blooio_desktop.ui.workbench.forward_targets import ForwardTargetsDialog
from blooio_desktop.ui.workbench.model import (
    VERDICT_COLUMN,
    DeliveriesModel,
    DeliveryFilterProxy,
    DeliveryRole,
)
from blooio_desktop.ui.workbench.replay_editor import ReplayEditor
from blooio_desktop.ui.workbench.verdict_delegate import VerdictBadgeDelegate
from blooio_desktop.webhook.signature import Verdict

INITIAL_ROWS = 500
KNOWN_EVENTS: tuple[str, ...] = (
    "message.received",
    "message.sent",
    "message.delivered",
    "message.read",
    "message.failed",
    "message.reaction",
)


class WorkbenchDock(QDockWidget):
    """`action_finished(text)` fires after each replay, export or sample with the line shown."""

    action_finished = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__("Webhook workbench", parent)
        self._context = context
        self._tasks = TaskSet()
        self.setObjectName("WorkbenchDock")
        self.model = DeliveriesModel(self)
        self.proxy = DeliveryFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = record_table_view(self.proxy, "Webhook deliveries", ("Message",), self)
        self.table.setItemDelegateForColumn(VERDICT_COLUMN, VerdictBadgeDelegate(self.table))
        self.table.setShowGrid(False)
        self.detail = DeliveryDetail(self)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(self._filters())
        layout.addWidget(splitter, 1)
        layout.addLayout(self._actions())
        self.setWidget(body)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        if context.bridge is not None:
            context.bridge.bus_event.connect(self.on_event)
            context.bridge.changes.connect(self.on_changes)
        self.reload()

    # --- building ------------------------------------------------------------------------------

    def _filters(self) -> QHBoxLayout:
        self.event_filter = QComboBox(self)
        self.event_filter.setAccessibleName("Filter by event")
        self.event_filter.addItem("All events", "")
        for event in KNOWN_EVENTS:
            self.event_filter.addItem(event, event)
        self.verdict_filter = QComboBox(self)
        self.verdict_filter.setAccessibleName("Filter by verdict")
        self.verdict_filter.addItem("All verdicts", "")
        for verdict in Verdict:
            self.verdict_filter.addItem(verdict.value, verdict.value)
        self.event_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_event(self.event_filter.currentData())
        )
        self.verdict_filter.currentIndexChanged.connect(
            lambda _i: self.proxy.set_verdict(self.verdict_filter.currentData())
        )
        self.count_label = QLabel(self)
        self.fixtures = FixtureTrigger(self._context, self)
        self.fixtures.triggered.connect(self._report)
        row = QHBoxLayout()
        row.addWidget(QLabel("Show:", self))
        row.addWidget(self.event_filter)
        row.addWidget(self.verdict_filter)
        row.addWidget(self.count_label)
        row.addStretch(1)
        row.addWidget(self.fixtures)
        return row

    def _actions(self) -> QHBoxLayout:
        self.replay_button = QPushButton("Replay", self)
        self.replay_button.setToolTip("Send this delivery to the listener again, freshly signed")
        self.edit_button = QPushButton("Edit && replay…", self)
        self.forward_button = QPushButton("Forward targets…", self)
        self.export_button = QPushButton("Export JSONL…", self)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Workbench status")
        row = QHBoxLayout()
        for button in (self.replay_button, self.edit_button):
            button.setEnabled(False)
            row.addWidget(button)
        row.addWidget(self.status, 1)
        row.addWidget(self.forward_button)
        row.addWidget(self.export_button)
        self.replay_button.clicked.connect(self._on_replay)
        self.edit_button.clicked.connect(self._on_edit_replay)
        self.forward_button.clicked.connect(self.edit_forward_targets)
        self.export_button.clicked.connect(self._on_export)
        return row

    # --- data ----------------------------------------------------------------------------------

    def reload(self) -> None:
        inspector = self._context.inspector
        self.model.set_deliveries(inspector.recent(limit=INITIAL_ROWS) if inspector else [])
        for event in self.model.events():
            self._offer_event_filter(event)
        self._update_count()

    def on_event(self, event: object) -> None:
        if isinstance(event, DeliveryRecorded):
            self.model.add(event.delivery)
            if event.delivery.event:
                self._offer_event_filter(event.delivery.event)
            self._update_count()
        elif isinstance(event, ForwardRecorded):
            selected = self.selected()
            if selected is not None and selected.id == event.attempt.delivery_id:
                self._show_selected()

    def on_changes(self, changes: Changes) -> None:
        if changes.origin == "inspector-clear":
            self.reload()

    def _offer_event_filter(self, event: str) -> None:
        """Unknown or custom events (e.g. the connectivity self-test) become filterable too."""
        if self.event_filter.findData(event) < 0:
            self.event_filter.addItem(event, event)

    def _update_count(self) -> None:
        total = self.model.rowCount()
        self.count_label.setText(f"{total} deliver{'y' if total == 1 else 'ies'}")

    def selected(self) -> WebhookDelivery | None:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(DeliveryRole) if rows else None

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def _on_selection(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        delivery = self._show_selected()
        for button in (self.replay_button, self.edit_button):
            button.setEnabled(delivery is not None and delivery.id is not None)

    def _show_selected(self) -> WebhookDelivery | None:
        delivery = self.selected()
        inspector = self._context.inspector
        forwards = (
            inspector.forward_attempts(delivery.id)
            if inspector is not None and delivery is not None and delivery.id is not None
            else []
        )
        self.detail.show_delivery(delivery, forwards)
        return delivery

    # --- actions -------------------------------------------------------------------------------

    @async_slot()
    async def _on_replay(self) -> None:
        delivery = self.selected()
        if delivery is not None and delivery.id is not None:
            await self.replay(delivery.id)

    def _on_edit_replay(self) -> None:
        """Plain slots run the modal dialogs: a nested event loop must not run inside an asyncio task."""
        delivery = self.selected()
        if delivery is None or delivery.id is None:
            return
        editor = ReplayEditor(delivery, self)
        if editor.exec() == ReplayEditor.DialogCode.Accepted:
            self._tasks.spawn(self.replay(delivery.id, editor.body(), editor.mode()))

    async def replay(
        self, delivery_id: int, body: bytes | None = None, mode: str = "valid"
    ) -> None:
        """Replay delivery `delivery_id` (edited `body` if given) signed per `mode`."""
        inspector = self._context.inspector
        if inspector is None:
            self._report("The webhook inspector is not running.")
            return
        self.replay_button.setEnabled(False)
        try:
            result: ReplayResult = await inspector.replay_modified(delivery_id, body, mode=mode)
        except BlooioError as exc:
            self._report(describe_error(exc))
            return
        except httpx.HTTPError as exc:  # the listener itself is down or hung
            self._report(f"The listener did not answer: {redact(str(exc)) or type(exc).__name__}")
            return
        finally:
            self.replay_button.setEnabled(self.selected() is not None)
        self._report(f"Replayed #{delivery_id} ({mode}): listener answered HTTP {result.status}")

    def edit_forward_targets(self) -> None:
        dialog = ForwardTargetsDialog(self._context.settings.value.forward_targets, self)
        if dialog.exec() != ForwardTargetsDialog.DialogCode.Accepted:
            return
        try:
            self.set_forward_targets(dialog.targets())
        except BlooioError as exc:
            self._report(describe_error(exc))

    def set_forward_targets(self, targets: Sequence[ForwardTarget]) -> None:
        """Save the targets and apply them to the running forwarder at once."""
        settings = self._context.settings.value.replace(forward_targets=tuple(targets))
        self._context.settings.replace(settings)
        inspector = self._context.inspector
        if inspector is not None and inspector.forwarder is not None:
            inspector.forwarder.targets = settings.forward_targets
        count = len(settings.forward_targets)
        self._report(
            f"Forwarding to {count} target{'s' if count != 1 else ''}."
            if count
            else "Forwarding is off."
        )

    def _on_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Export deliveries",
            str(Path.home() / "blooio-deliveries.jsonl"),
            "JSON Lines (*.jsonl)",
        )
        if path:
            self._tasks.spawn(self.export(Path(path)))

    async def export(self, path: Path) -> int:
        """Write the deliveries matching the current filters to `path`; returns how many."""
        inspector = self._context.inspector
        if inspector is None:
            self._report("The webhook inspector is not running.")
            return 0
        event, verdict = self.event_filter.currentData(), self.verdict_filter.currentData()
        query = DeliveryFilter(
            events=(event,) if event else (), verdicts=(verdict,) if verdict else ()
        )
        try:
            count: int = await inspector.export_jsonl(path, query)
        except (BlooioError, OSError) as exc:
            self._report(
                f"Export failed: {describe_error(exc) if isinstance(exc, BlooioError) else exc}"
            )
            return 0
        self._report(f"Exported {count} deliveries to {path.name}")
        return count

    def _report(self, text: str) -> None:
        self.status.setText(text)
        self.action_finished.emit(text)
