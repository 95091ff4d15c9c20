"""Row ↔ core model mapping, in one place: the only file that knows column names of every table."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from typing import Any

from blooio_desktop.core.models import (
    Attachment,
    Chat,
    Contact,
    ContactRef,
    Direction,
    Group,
    GroupMember,
    LastMessage,
    Message,
    OutboxItem,
    OutboxState,
    Protocol,
    Reaction,
    ReplyTo,
)
from blooio_desktop.core.status import MessageStatus

OUR_SENDER = ""  # reactions.sender for our own tapbacks (NULL cannot be part of a primary key)


def _direction(value: object) -> Direction | None:
    return Direction(value) if value in ("inbound", "outbound") else None


# --- messages -------------------------------------------------------------------------------------


def message_params(message: Message, sort_time: int, *, is_local: bool) -> dict[str, Any]:
    reply = message.reply_to
    return {
        "message_id": message.message_id,
        "chat_id": message.chat_id,
        "direction": message.direction.value,
        "text": message.text,
        "sender": message.sender,
        "time_sent": message.time_sent,
        "time_delivered": message.time_delivered,
        "status": message.status.value,
        "protocol": message.protocol.value,
        "error": message.error,
        "external_id": message.external_id,
        "internal_id": message.internal_id,
        "reply_to_message_id": reply.message_id if reply else None,
        "reply_to_guid": reply.guid if reply else None,
        "reply_to_part": reply.part_index if reply else None,
        "sort_time": sort_time,
        "is_local": int(is_local),
    }


def message_from_row(
    row: sqlite3.Row, attachments: Iterable[Attachment] = (), reactions: Iterable[Reaction] = ()
) -> Message:
    reply = None
    if row["reply_to_message_id"] or row["reply_to_guid"]:
        reply = ReplyTo(row["reply_to_message_id"], row["reply_to_guid"], row["reply_to_part"])
    return Message(
        message_id=row["message_id"],
        chat_id=row["chat_id"],
        direction=Direction(row["direction"]),
        text=row["text"],
        attachments=tuple(attachments),
        sender=row["sender"],
        reactions=tuple(reactions),
        time_sent=row["time_sent"],
        time_delivered=row["time_delivered"],
        status=MessageStatus.parse(row["status"]),
        protocol=Protocol.parse(row["protocol"]),
        error=row["error"],
        external_id=row["external_id"],
        internal_id=row["internal_id"],
        reply_to=reply,
    )


def attachment_from_row(row: sqlite3.Row) -> Attachment:
    return Attachment(
        url=row["url"], name=row["name"], mime_type=row["mime_type"], size=row["size"]
    )


def reaction_from_row(row: sqlite3.Row) -> Reaction:
    return Reaction(
        reaction=row["reaction"],
        sender=row["sender"] or None,
        is_added=bool(row["is_added"]),
        time_sent=row["time_sent"],
    )


def attachments_to_json(attachments: Iterable[Attachment]) -> str:
    return json.dumps(
        [
            {"url": a.url, "name": a.name, "mime_type": a.mime_type, "size": a.size}
            for a in attachments
        ]
    )


def attachments_from_json(text: str) -> tuple[Attachment, ...]:
    return tuple(
        Attachment(
            url=a["url"], name=a.get("name"), mime_type=a.get("mime_type"), size=a.get("size")
        )
        for a in json.loads(text or "[]")
    )


# --- chats ----------------------------------------------------------------------------------------


def chat_params(chat: Chat) -> dict[str, Any]:
    last = chat.last_message
    return {
        "id": chat.id,
        "type": chat.type,
        "is_group": int(chat.is_group),
        "group_id": chat.group_id,
        "group_name": chat.group_name,
        "member_count": chat.member_count,
        "contact_identifier": chat.contact.identifier if chat.contact else None,
        "contact_id": chat.contact.contact_id if chat.contact else None,
        "contact_name": chat.contact.name if chat.contact else None,
        "message_count": chat.message_count,
        "inbound_count": chat.inbound_count,
        "outbound_count": chat.outbound_count,
        "first_message_time": chat.first_message_time,
        "last_message_time": chat.last_message_time,
        "last_inbound_time": chat.last_inbound_time,
        "last_outbound_time": chat.last_outbound_time,
        "last_message_id": last.message_id if last else None,
        "last_message_text": last.text if last else None,
        "last_message_direction": last.direction.value if last and last.direction else None,
        "last_message_sent": last.time_sent if last else None,
    }


def chat_from_row(row: sqlite3.Row, local_last: LastMessage | None = None) -> Chat:
    """`local_last` (the newest message stored here) wins over the server summary when newer."""
    server_last = None
    if row["last_message_id"] or row["last_message_text"]:
        server_last = LastMessage(
            row["last_message_id"],
            row["last_message_text"],
            _direction(row["last_message_direction"]),
            row["last_message_sent"],
        )
    last = server_last
    if local_last and (
        server_last is None or (local_last.time_sent or 0) >= (server_last.time_sent or 0)
    ):
        last = local_last
    last_time = max(
        (t for t in (row["last_message_time"], last.time_sent if last else None) if t), default=None
    )
    contact = None
    if row["contact_identifier"]:
        contact = ContactRef(row["contact_identifier"], row["contact_id"], row["contact_name"])
    return Chat(
        id=row["id"],
        type=row["type"],
        is_group=bool(row["is_group"]),
        group_id=row["group_id"],
        group_name=row["group_name"],
        member_count=row["member_count"],
        contact=contact,
        message_count=row["message_count"],
        inbound_count=row["inbound_count"],
        outbound_count=row["outbound_count"],
        first_message_time=row["first_message_time"],
        last_message_time=last_time,
        last_inbound_time=row["last_inbound_time"],
        last_outbound_time=row["last_outbound_time"],
        last_message=last,
    )


# --- outbox ---------------------------------------------------------------------------------------


def outbox_params(item: OutboxItem) -> dict[str, Any]:
    return {
        "idempotency_key": item.idempotency_key,
        "chat_id": item.chat_id,
        "text": item.text,
        "attachments_json": attachments_to_json(item.attachments),
        "from_number": item.from_number,
        "reply_to": item.reply_to,
        "state": item.state.value,
        "attempts": item.attempts,
        "next_attempt_at": item.next_attempt_at,
        "last_error": item.last_error,
        "created_at": item.created_at,
        "local_message_id": item.local_message_id,
        "server_message_id": item.server_message_id,
    }


def outbox_from_row(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        idempotency_key=row["idempotency_key"],
        chat_id=row["chat_id"],
        text=row["text"],
        attachments=attachments_from_json(row["attachments_json"]),
        from_number=row["from_number"],
        reply_to=row["reply_to"],
        state=OutboxState(row["state"]),
        attempts=row["attempts"],
        next_attempt_at=row["next_attempt_at"],
        last_error=row["last_error"],
        created_at=row["created_at"],
        local_message_id=row["local_message_id"],
        server_message_id=row["server_message_id"],
    )


# --- contacts and groups --------------------------------------------------------------------------


def contact_params(contact: Contact) -> dict[str, Any]:
    return {
        "identifier": contact.identifier,
        "contact_id": contact.contact_id,
        "name": contact.name,
        "type": contact.type,
        "created_at": contact.created_at,
        "last_message_time": contact.last_message_time,
        "tags_json": json.dumps(list(contact.tags)),
    }


def contact_from_row(row: sqlite3.Row) -> Contact:
    return Contact(
        identifier=row["identifier"],
        contact_id=row["contact_id"],
        name=row["name"],
        type=row["type"],
        created_at=row["created_at"],
        last_message_time=row["last_message_time"],
        tags=tuple(json.loads(row["tags_json"] or "[]")),
    )


def group_params(group: Group) -> dict[str, Any]:
    return {
        "group_id": group.group_id,
        "name": group.name,
        "chat_guid": group.chat_guid,
        "icon_url": group.icon_url,
        "member_count": group.member_count,
        "message_count": group.message_count,
        "last_message_text": group.last_message_text,
        "last_message_time": group.last_message_time,
        "last_message_direction": group.last_message_direction.value
        if group.last_message_direction
        else None,
        "created_at": group.created_at,
    }


def group_from_row(row: sqlite3.Row) -> Group:
    return Group(
        group_id=row["group_id"],
        name=row["name"],
        chat_guid=row["chat_guid"],
        icon_url=row["icon_url"],
        member_count=row["member_count"],
        message_count=row["message_count"],
        last_message_text=row["last_message_text"],
        last_message_time=row["last_message_time"],
        last_message_direction=_direction(row["last_message_direction"]),
        created_at=row["created_at"],
    )


def member_params(group_id: str, member: GroupMember) -> dict[str, Any]:
    return {
        "group_id": group_id,
        "identifier": member.identifier,
        "contact_id": member.contact_id,
        "name": member.name,
        "added_at": member.added_at,
    }


def member_from_row(row: sqlite3.Row) -> GroupMember:
    return GroupMember(
        identifier=row["identifier"],
        contact_id=row["contact_id"],
        name=row["name"],
        added_at=row["added_at"],
    )


def insert_sql(table: str, params: dict[str, Any], *, conflict: str = "") -> str:
    """`INSERT [OR …] INTO table (cols) VALUES (:cols)` for a params dict built above."""
    cols = ", ".join(params)
    values = ", ".join(f":{name}" for name in params)
    return f"INSERT {conflict} INTO {table} ({cols}) VALUES ({values})".replace("  ", " ")
