"""What no messenger shows: the transport behind one message — its send request (Idempotency-Key,
attempts, errors), every webhook delivery about it, and the latency sent → delivered → read.

Everything comes from the local store (messages, outbox, captured deliveries); nothing is fetched.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from blooio_desktop.core.models import Message, OutboxItem, WebhookDelivery
from blooio_desktop.store.deliveries import DeliveryFilter, DeliveryRepository
from blooio_desktop.store.messages import MessageRepository
from blooio_desktop.store.outbox import OutboxRepository
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.error_text import inline_error
from blooio_desktop.ui.workbench.model import delay_text

_EVENT_TIME_FIELDS: dict[str, str] = {
    "message.sent": "sent_at",
    "message.delivered": "delivered_at",
    "message.read": "read_at",
    "message.received": "received_at",
    "message.failed": "timestamp",
}
_MILESTONES: tuple[tuple[str, str], ...] = (
    ("message.sent", "Sent"),
    ("message.delivered", "Delivered"),
    ("message.read", "Read"),
)


@dataclass(frozen=True, slots=True)
class Milestone:
    label: str
    at_ms: int | None
    since_previous_ms: int | None


def event_time_ms(delivery: WebhookDelivery) -> int | None:
    """When the event happened according to its payload (falls back to when it reached us)."""
    try:
        payload = json.loads(delivery.body)
    except ValueError:
        payload = {}
    if isinstance(payload, dict):
        for key in (_EVENT_TIME_FIELDS.get(delivery.event or "", ""), "timestamp"):
            value = payload.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(value)
    return int(delivery.received_at * 1000)


def milestones(
    message: Message, deliveries: list[WebhookDelivery], outbox: OutboxItem | None
) -> list[Milestone]:
    """Queued (asked) → Sent → Delivered → Read, each with the time since the step before it."""
    times: dict[str, int | None] = {
        "Queued": int(outbox.created_at * 1000) if outbox and outbox.created_at else None
    }
    for event, label in _MILESTONES:
        hits = [
            event_time_ms(d)
            for d in deliveries
            if d.event == event and d.verdict in ("valid", "legacy-scheme")
        ]
        times[label] = min((t for t in hits if t is not None), default=None)
    if times["Sent"] is None:
        times["Sent"] = message.time_sent
    if times["Delivered"] is None:
        times["Delivered"] = message.time_delivered
    result: list[Milestone] = []
    previous: int | None = None
    for label in ("Queued", "Sent", "Delivered", "Read"):
        at = times[label]
        gap = at - previous if at is not None and previous is not None else None
        result.append(Milestone(label, at, gap))
        previous = at if at is not None else previous
    return result


def duration_text(ms: int | None) -> str:
    if ms is None:
        return ""
    if abs(ms) < 1000:
        return f"+{ms} ms"
    return f"+{ms / 1000:.1f} s"


def _clock(ms: int | None) -> str:
    return datetime.fromtimestamp(ms / 1000).strftime("%H:%M:%S.%f")[:-3] if ms else "—"


def find_outbox_item(items: list[OutboxItem], message_id: str) -> OutboxItem | None:
    for item in items:
        if message_id in (item.local_message_id, item.server_message_id):
            return item
    return None


class MessageDetailsDialog(QDialog):
    def __init__(self, context: AppContext, message_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Message details")
        self.resize(620, 520)
        conn = context.db.read()
        self.message = MessageRepository(conn).get(message_id)
        self.outbox = find_outbox_item(OutboxRepository(conn).items(), message_id)
        ids = {message_id} | (
            {self.outbox.server_message_id}
            if self.outbox and self.outbox.server_message_id
            else set()
        )
        repo = DeliveryRepository(conn)
        found = [d for mid in ids for d in repo.recent(DeliveryFilter(message_id=mid), limit=500)]
        self.deliveries = sorted(found, key=lambda d: (d.received_at, d.id or 0))
        layout = QVBoxLayout(self)
        if self.message is None:
            missing = QLabel(f"Message {message_id} is not in the local store.", self)
            missing.setObjectName("EmptyState")
            layout.addWidget(missing)
        else:
            layout.addWidget(self._summary(self.message))
            layout.addWidget(self._timeline(self.message))
        layout.addWidget(self._send_request())
        layout.addWidget(self._delivery_list(), 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _summary(self, message: Message) -> QGroupBox:
        box = QGroupBox("Message", self)
        form = QFormLayout(box)
        form.addRow("Id:", QLabel(message.message_id, box))
        form.addRow("Chat:", QLabel(message.chat_id, box))
        detail = f"{message.direction.value} · {message.protocol.value} · {message.status.value}"
        form.addRow("State:", QLabel(detail, box))
        if message.error:
            form.addRow("Error:", inline_error(box, message.error))
        _make_selectable(box)
        return box

    def _timeline(self, message: Message) -> QGroupBox:
        box = QGroupBox("Latency", self)
        self.timeline = QTreeWidget(box)
        self.timeline.setAccessibleName("Latency timeline")
        self.timeline.setHeaderLabels(["Step", "At", "Since previous step"])
        self.timeline.setRootIsDecorated(False)
        for step in milestones(message, self.deliveries, self.outbox):
            QTreeWidgetItem(
                self.timeline,
                [step.label, _clock(step.at_ms), duration_text(step.since_previous_ms)],
            )
        self.timeline.setMaximumHeight(130)
        QVBoxLayout(box).addWidget(self.timeline)
        return box

    def _send_request(self) -> QGroupBox:
        box = QGroupBox("API send", self)
        form = QFormLayout(box)
        item = self.outbox
        if item is None:
            form.addRow(
                QLabel("No send request from this device (received, or sent elsewhere).", box)
            )
            return box
        form.addRow("Idempotency-Key:", QLabel(item.idempotency_key, box))
        form.addRow("State:", QLabel(f"{item.state.value} after {item.attempts} attempt(s)", box))
        form.addRow("Asked at:", QLabel(_clock(int(item.created_at * 1000)), box))
        if item.server_message_id:
            form.addRow("Blooio message id:", QLabel(item.server_message_id, box))
        if item.last_error:
            form.addRow("Last error:", inline_error(box, item.last_error))
        _make_selectable(box)
        return box

    def _delivery_list(self) -> QGroupBox:
        box = QGroupBox(f"Webhook deliveries ({len(self.deliveries)})", self)
        self.delivery_tree = QTreeWidget(box)
        self.delivery_tree.setAccessibleName("Webhook deliveries for this message")
        self.delivery_tree.setHeaderLabels(["Received", "Event", "Verdict", "Answer", "Delay"])
        self.delivery_tree.setRootIsDecorated(False)
        for d in self.deliveries:
            QTreeWidgetItem(
                self.delivery_tree,
                [
                    _clock(int(d.received_at * 1000)),
                    d.event or "",
                    d.verdict,
                    str(d.response_status),
                    delay_text(d),
                ],
            )
        QVBoxLayout(box).addWidget(self.delivery_tree)
        return box


def _make_selectable(box: QWidget) -> None:
    """Ids and keys are for copying into a bug report or a log search."""
    for label in box.findChildren(QLabel):
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
