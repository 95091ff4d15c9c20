"""Webhook events → store: how each verified event is merged (inside the caller's transaction).

The webhook intake (`services.webhook_intake`) runs this for every batch the listener acknowledged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from blooio_desktop.core.events import Changes, WebhookEvent
from blooio_desktop.core.models import Direction, Message, Reaction
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.store import ChatRepository, MessageRepository

STATUS_EVENTS: dict[str, MessageStatus] = {
    "message.queued": MessageStatus.QUEUED,
    "message.sent": MessageStatus.SENT,
    "message.delivered": MessageStatus.DELIVERED,
    "message.read": MessageStatus.READ,
    "message.failed": MessageStatus.FAILED,
}


def apply_events(conn: sqlite3.Connection, events: Iterable[WebhookEvent]) -> Changes:
    """Merge webhook events into the store (inside one transaction); unknown events are ignored."""
    changes = Changes()
    for event in events:
        changes = changes.merge(apply_event(conn, event))
    return changes


def apply_event(conn: sqlite3.Connection, event: WebhookEvent) -> Changes:
    chat_id = event.chat_id
    if not event.message_id or not chat_id:
        return Changes()
    messages = MessageRepository(conn)
    if event.is_group and event.group_name:
        ChatRepository(conn).set_group_name(chat_id, event.group_name)
    if event.event == "message.received":
        return messages.upsert([_received(event, chat_id)])
    if event.event in STATUS_EVENTS:
        return _status(messages, event, chat_id, STATUS_EVENTS[event.event])
    if event.event == "message.reaction" and event.reaction:
        ours = event.direction == Direction.OUTBOUND.value
        reaction = Reaction(
            reaction=event.reaction,
            sender=None if ours else event.sender,
            is_added=event.action != "remove",
            time_sent=event.timestamp,
        )
        return messages.apply_reaction(event.message_id, chat_id, reaction)
    return Changes()


def _received(event: WebhookEvent, chat_id: str) -> Message:
    assert event.message_id is not None
    return Message(
        message_id=event.message_id,
        chat_id=chat_id,
        direction=Direction.INBOUND,
        text=event.text,
        attachments=event.attachments,
        sender=event.sender,
        time_sent=event.received_at or event.timestamp,
        status=MessageStatus.RECEIVED,
        protocol=event.protocol,
        external_id=event.external_id,
        internal_id=event.internal_id,
    )


def _status(
    messages: MessageRepository, event: WebhookEvent, chat_id: str, status: MessageStatus
) -> Changes:
    """Merge a receipt; for a message not stored yet (a send from elsewhere, or a webhook that beat
    the send response) store what the event tells, and let backfill or reconciliation complete it."""
    assert event.message_id is not None
    error = event.error_message or event.error_code
    if messages.existing([event.message_id]):
        return messages.apply_status(
            event.message_id,
            status,
            time_sent=event.sent_at,
            time_delivered=event.delivered_at,
            error=error,
        )
    direction = (
        Direction.INBOUND if event.direction == Direction.INBOUND.value else Direction.OUTBOUND
    )
    stub = Message(
        message_id=event.message_id,
        chat_id=chat_id,
        direction=direction,
        text=event.text,
        attachments=event.attachments,
        time_sent=event.sent_at or event.timestamp,
        time_delivered=event.delivered_at,
        status=status,
        protocol=event.protocol,
        error=error,
        external_id=event.external_id,
        internal_id=event.internal_id,
    )
    return messages.upsert([stub])
