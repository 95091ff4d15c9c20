"""Wire JSON → core models: the only file that knows Blooio's response field names.

Parsing is lenient (blooio-api.md §12.3): unknown fields are ignored, missing ones get defaults, numbers
sent as strings are accepted. Only a missing *id* makes an object unusable; a list skips such items (with
a warning) rather than losing the whole page.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from blooio_desktop.api.wire import (
    Json,
    as_bool,
    as_direction,
    as_int,
    as_list,
    as_str,
    error_text,
    first_str,
    invalid_response,
    iso_time,
    obj,
    required,
)
from blooio_desktop.core.errors import ApiError
from blooio_desktop.core.models import (
    Account,
    Attachment,
    Capabilities,
    Chat,
    Contact,
    ContactRef,
    Direction,
    Group,
    GroupMember,
    LastMessage,
    Message,
    MessageStatusInfo,
    Page,
    PhoneNumber,
    Protocol,
    Reaction,
    ReactionResult,
    ReplyTo,
    SendResult,
    Webhook,
    WebhookLog,
)
from blooio_desktop.core.status import MessageStatus

T = TypeVar("T")
log = logging.getLogger(__name__)


def parse_warning(data: Json) -> str | None:
    """The optional `warning` of an accepted-but-not-deliverable call (typing on RCS)."""
    return as_str(data.get("warning"))


def parse_chat_id(data: Json) -> str | None:
    return as_str(data.get("chat_id"))


def parse_timestamp(data: Json, key: str) -> int | None:
    return as_int(data.get(key))


def parse_attachment(value: object) -> Attachment | None:
    """Both shapes in the wild: `"https://…"` (v1 docs) and `{url, name}` (v2)."""
    if isinstance(value, str) and value:
        return Attachment(url=value)
    data = obj(value)
    url = as_str(data.get("url"))
    if not url:
        return None
    return Attachment(
        url=url,
        name=as_str(data.get("name")),
        mime_type=first_str(data, "mime_type", "content_type", "mimeType"),
        size=as_int(data.get("size")),
    )


def parse_attachments(value: object) -> tuple[Attachment, ...]:
    return tuple(a for a in (parse_attachment(v) for v in as_list(value)) if a is not None)


def parse_reaction(value: object) -> Reaction | None:
    data = obj(value)
    reaction = as_str(data.get("reaction"))
    if not reaction:
        return None
    return Reaction(
        reaction=reaction.lstrip("+-") or reaction,
        sender=as_str(data.get("sender")),
        is_added=as_bool(data.get("is_added"), True),
        time_sent=as_int(data.get("time_sent")),
    )


def parse_contact_ref(value: object) -> ContactRef | None:
    data = obj(value)
    identifier = first_str(data, "identifier", "id")
    if not identifier:
        return None
    return ContactRef(
        identifier=identifier,
        contact_id=as_str(data.get("contact_id")),
        name=as_str(data.get("name")),
    )


def parse_contact(data: Json) -> Contact:
    return Contact(
        identifier=required(data, "contact", "identifier", "id"),
        contact_id=as_str(data.get("contact_id")),
        name=as_str(data.get("name")),
        type=as_str(data.get("type")) or "phone",
        created_at=as_int(data.get("created_at")),
        last_message_time=as_int(data.get("last_message_time")),
        tags=tuple(
            t
            for t in (as_str(v) or as_str(obj(v).get("tag")) for v in as_list(data.get("tags")))
            if t
        ),
    )


def parse_capabilities(data: Json, identifier: str) -> Capabilities:
    caps = obj(data.get("capabilities"))
    return Capabilities(
        contact=as_str(data.get("contact")) or identifier,
        imessage=as_bool(caps.get("imessage")),
        sms=as_bool(caps.get("sms")),
        facetime=as_bool(caps.get("facetime")),
        type=as_str(data.get("type")) or "phone",
        last_checked=as_int(data.get("last_checked", data.get("lastChecked"))),
    )


def _last_message(value: object) -> LastMessage | None:
    data = obj(value)
    if not data:
        return None
    return LastMessage(
        message_id=as_str(data.get("message_id")),
        text=as_str(data.get("text")),
        direction=as_direction(data.get("direction")),
        time_sent=as_int(data.get("time_sent")),
    )


def parse_chat(data: Json) -> Chat:
    contact = parse_contact_ref(data.get("contact"))
    group_id = as_str(data.get("group_id"))
    chat_id = (
        first_str(data, "id", "chat_id") or group_id or (contact.identifier if contact else None)
    )
    if not chat_id:
        raise invalid_response("chat without “id”")
    return Chat(
        id=chat_id,
        type=as_str(data.get("type")) or ("group" if group_id else "phone"),
        is_group=as_bool(data.get("is_group"), bool(group_id)),
        group_id=group_id,
        group_name=as_str(data.get("group_name")),
        member_count=as_int(data.get("member_count")),
        contact=contact,
        message_count=as_int(data.get("message_count")) or 0,
        inbound_count=as_int(data.get("inbound_count")) or 0,
        outbound_count=as_int(data.get("outbound_count")) or 0,
        first_message_time=as_int(data.get("first_message_time")),
        last_message_time=as_int(data.get("last_message_time")),
        last_inbound_time=as_int(data.get("last_inbound_time")),
        last_outbound_time=as_int(data.get("last_outbound_time")),
        last_message=_last_message(data.get("last_message")),
    )


def _reply_to(value: object) -> ReplyTo | None:
    if isinstance(value, str) and value:
        return ReplyTo(message_id=value)
    data = obj(value)
    if not data:
        return None
    return ReplyTo(
        message_id=as_str(data.get("message_id")),
        guid=as_str(data.get("guid")),
        part_index=as_int(data.get("part_index")),
    )


def _message_status(data: Json, direction: Direction) -> MessageStatus:
    """REST has no "read" status: a read outbound message is "delivered" with a read time."""
    default = MessageStatus.RECEIVED if direction is Direction.INBOUND else MessageStatus.PENDING
    status = MessageStatus.parse(data.get("status"), default)
    read_at = as_int(data.get("time_read")) or as_int(data.get("read_at"))
    if direction is Direction.OUTBOUND and read_at and status is MessageStatus.DELIVERED:
        return MessageStatus.READ
    return status


def parse_message(data: Json, chat_id: str) -> Message:
    direction = as_direction(data.get("direction")) or Direction.INBOUND
    return Message(
        message_id=required(data, "message", "message_id", "id"),
        chat_id=as_str(data.get("chat_id")) or chat_id,
        direction=direction,
        text=as_str(data.get("text")),
        attachments=parse_attachments(data.get("attachments")),
        sender=as_str(data.get("sender")),
        reactions=tuple(
            r for r in (parse_reaction(v) for v in as_list(data.get("reactions"))) if r
        ),
        time_sent=as_int(data.get("time_sent")),
        time_delivered=as_int(data.get("time_delivered")),
        status=_message_status(data, direction),
        protocol=Protocol.parse(data.get("protocol")),
        error=error_text(data.get("error")),
        external_id=as_str(data.get("external_id")),
        internal_id=as_str(data.get("internal_id")),
        reply_to=_reply_to(data.get("reply_to")),
    )


def parse_status_info(data: Json, chat_id: str) -> MessageStatusInfo:
    return MessageStatusInfo(
        message_id=required(data, "message status", "message_id"),
        chat_id=as_str(data.get("chat_id")) or chat_id,
        direction=as_direction(data.get("direction")),
        status=MessageStatus.parse(data.get("status")),
        protocol=Protocol.parse(data.get("protocol")),
        time_sent=as_int(data.get("time_sent")),
        time_delivered=as_int(data.get("time_delivered")),
        error=error_text(data.get("error")),
    )


def parse_send_result(data: Json, *, idempotency_key: str, replayed: bool) -> SendResult:
    ids = tuple(i for i in (as_str(v) for v in as_list(data.get("message_ids"))) if i)
    if not ids:
        ids = (required(data, "send result", "message_id"),)
    return SendResult(
        message_ids=ids,
        status=MessageStatus.parse(data.get("status"), MessageStatus.QUEUED),
        idempotency_key=idempotency_key,
        replayed=replayed,
        group_id=as_str(data.get("group_id")),
        group_created=as_bool(data.get("group_created")),
        participants=tuple(p for p in (as_str(v) for v in as_list(data.get("participants"))) if p),
    )


def parse_reaction_result(data: Json, message_id: str, reaction: str) -> ReactionResult:
    return ReactionResult(
        message_id=as_str(data.get("message_id")) or message_id,
        reaction=as_str(data.get("reaction")) or reaction.lstrip("+-"),
        action=as_str(data.get("action")) or ("remove" if reaction.startswith("-") else "add"),
        success=as_bool(data.get("success"), True),
    )


def parse_group(data: Json) -> Group:
    return Group(
        group_id=required(data, "group", "group_id", "id"),
        name=first_str(data, "name", "group_name"),
        chat_guid=as_str(data.get("chat_guid")),
        icon_url=as_str(data.get("icon_url")),
        member_count=as_int(data.get("member_count")) or 0,
        message_count=as_int(data.get("message_count")) or 0,
        last_message_text=as_str(data.get("last_message_text")),
        last_message_time=as_int(data.get("last_message_time")),
        last_message_direction=as_direction(data.get("last_message_direction")),
        created_at=as_int(data.get("created_at")),
    )


def parse_member(data: Json) -> GroupMember:
    return GroupMember(
        identifier=required(data, "group member", "identifier", "id"),
        contact_id=as_str(data.get("contact_id")),
        name=as_str(data.get("name")),
        added_at=as_int(data.get("added_at")),
    )


def parse_phone_number(data: Json) -> PhoneNumber:
    return PhoneNumber(
        phone_number=required(data, "number", "phone_number"),
        is_active=as_bool(data.get("is_active"), True),
        last_active=iso_time(data.get("last_active")),
        plan_kind=as_str(data.get("plan_kind")),
    )


def parse_numbers(data: Json) -> list[PhoneNumber]:
    return parse_items(data.get("numbers"), parse_phone_number, "number")


def parse_account(data: Json) -> Account:
    """GET /me. The echoed `api_key` is dropped on purpose: it must not travel further."""
    organization = obj(data.get("organization"))
    return Account(
        valid=as_bool(data.get("valid"), True),
        auth_type=as_str(data.get("auth_type")),
        organization_id=as_str(data.get("organization_id"))
        or as_str(organization.get("organization_id")),
        organization_name=as_str(organization.get("name")),
        numbers=tuple(parse_items(data.get("devices"), parse_phone_number, "device")),
    )


def parse_webhook(data: Json) -> Webhook:
    return Webhook(
        webhook_id=required(data, "webhook", "webhook_id", "id"),
        webhook_url=first_str(data, "webhook_url", "url") or "",
        webhook_type=as_str(data.get("webhook_type")) or "message",
        scope=as_str(data.get("scope")),
        created_at=as_int(data.get("created_at")),
        deprecated_at=as_int(data.get("deprecated_at")),
        valid_until=as_int(data.get("valid_until")),
        last_triggered=as_int(data.get("last_triggered")),
        failure_count=as_int(data.get("failure_count")) or 0,
        is_active=as_bool(data.get("is_active"), data.get("deprecated_at") is None),
        signing_secret=as_str(data.get("signing_secret")),
    )


def parse_signing_secret(data: Json) -> str:
    return required(data, "secret rotation", "signing_secret")


def parse_icon_url(data: Json) -> str | None:
    return as_str(data.get("icon_url"))


def parse_webhook_log(data: Json) -> WebhookLog:
    meta = obj(data.get("metadata"))
    body = obj(data.get("event_body"))
    return WebhookLog(
        event_id=required(data, "webhook log", "event_id", "id"),
        webhook_url=as_str(data.get("webhook_url")),
        attempted_time=as_int(data.get("attempted_time")),
        response_status=as_int(data.get("response_status")),
        event_body=body,
        event_name=as_str(meta.get("event_name")) or as_str(body.get("event")),
        message_id=as_str(meta.get("message_id")) or as_str(body.get("message_id")),
        is_replay=as_bool(meta.get("is_replay")),
        original_event_id=as_str(meta.get("original_event_id")),
        duration_ms=as_int(meta.get("duration_ms")),
    )


def parse_items(value: object, parser: Callable[[Json], T], what: str) -> list[T]:
    """Parse a JSON list, skipping (and logging) items that lack their id instead of failing all."""
    items: list[T] = []
    for raw in as_list(value):
        try:
            items.append(parser(obj(raw)))
        except ApiError as exc:
            log.warning("Skipped a %s the server sent: %s", what, exc.message)
    return items


def parse_page(
    data: Json, key: str, parser: Callable[[Json], T], *, limit: int, offset: int
) -> Page[T]:
    """A `{<key>: [...], pagination: {limit, offset, total[, has_more]}}` list response."""
    pagination = obj(data.get("pagination"))
    has_more = pagination.get("has_more", data.get("has_more"))
    server_offset = as_int(pagination.get("offset"))
    return Page(
        items=tuple(parse_items(data.get(key), parser, key.rstrip("s"))),
        limit=as_int(pagination.get("limit")) or limit,
        offset=offset if server_offset is None else server_offset,
        total=as_int(pagination.get("total")),
        has_more=has_more if isinstance(has_more, bool) else None,
    )
