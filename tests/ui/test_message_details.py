"""Message details: the send request (key, attempts), the webhook deliveries about the message and
the latency sent → delivered → read, all read from the local store."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtWidgets import QLabel

from blooio_desktop.core.models import Direction, Message, OutboxItem, OutboxState, WebhookDelivery
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.store import MessageRepository, OutboxRepository
from blooio_desktop.store.deliveries import DeliveryRepository
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.message_details import MessageDetailsDialog, duration_text, milestones

T0 = 1_764_547_200.0  # seconds
SERVER_ID = "srv_abc123"
KEY = "0b5c3f7e-1111-4222-8333-944445555666"


def _delivery(event: str, at_ms: int, field: str, verdict: str = "valid") -> WebhookDelivery:
    body = {"event": event, "message_id": SERVER_ID, "timestamp": at_ms + 5, field: at_ms}
    return WebhookDelivery(
        id=None,
        received_at=at_ms / 1000 + 0.05,
        method="POST",
        path="/webhooks/blooio",
        headers=(("X-Blooio-Signature", "<redacted>"),),
        body=json.dumps(body).encode(),
        verdict=verdict,
        response_status=200 if verdict == "valid" else 401,
        event=event,
        message_id=SERVER_ID,
        delay_ms=50.0,
    )


def _seed(context: AppContext) -> None:
    t0_ms = int(T0 * 1000)
    message = Message(
        message_id=SERVER_ID,
        chat_id="+15550000002",
        direction=Direction.OUTBOUND,
        text="hi",
        time_sent=t0_ms + 400,
        status=MessageStatus.DELIVERED,
    )
    item = OutboxItem(
        idempotency_key=KEY,
        chat_id="+15550000002",
        text="hi",
        state=OutboxState.SENT,
        attempts=2,
        created_at=T0,
        local_message_id="local:" + KEY,
        server_message_id=SERVER_ID,
        last_error=None,
    )
    with context.db.transaction() as conn:
        MessageRepository(conn).upsert([message])
        OutboxRepository(conn).add(item)
        deliveries = DeliveryRepository(conn)
        deliveries.insert(_delivery("message.sent", t0_ms + 500, "sent_at"))
        deliveries.insert(_delivery("message.delivered", t0_ms + 1700, "delivered_at"))
        deliveries.insert(_delivery("message.read", t0_ms + 61_700, "read_at", verdict="invalid"))
        deliveries.insert(_delivery("message.read", t0_ms + 64_700, "read_at"))


def test_details_show_key_attempts_deliveries_and_latency(
    ui_context: AppContext, qtbot: Any
) -> None:
    _seed(ui_context)
    dialog = MessageDetailsDialog(ui_context, SERVER_ID)
    qtbot.addWidget(dialog)
    labels = [label.text() for label in dialog.findChildren(QLabel)]
    assert KEY in labels
    assert "sent after 2 attempt(s)" in labels
    steps = {
        dialog.timeline.topLevelItem(i).text(0): dialog.timeline.topLevelItem(i).text(2)
        for i in range(dialog.timeline.topLevelItemCount())
    }
    # queued → sent 500 ms, → delivered 1.2 s, → read 63 s (the forged read with a bad signature is ignored)
    assert steps == {"Queued": "", "Sent": "+500 ms", "Delivered": "+1.2 s", "Read": "+63.0 s"}
    assert dialog.delivery_tree.topLevelItemCount() == 4
    assert [dialog.delivery_tree.topLevelItem(i).text(2) for i in range(4)] == [
        "valid",
        "valid",
        "invalid",
        "valid",
    ]


def test_unknown_message_and_message_without_webhooks(ui_context: AppContext, qtbot: Any) -> None:
    dialog = MessageDetailsDialog(ui_context, "nope")
    qtbot.addWidget(dialog)
    texts = [label.text() for label in dialog.findChildren(QLabel)]
    assert "Message nope is not in the local store." in texts
    inbound = Message("in1", "+1555", Direction.INBOUND, time_sent=1000, time_delivered=None)
    steps = milestones(inbound, [], None)
    assert [(s.label, s.at_ms) for s in steps] == [
        ("Queued", None),
        ("Sent", 1000),
        ("Delivered", None),
        ("Read", None),
    ]
    assert duration_text(999) == "+999 ms" and duration_text(None) == ""
