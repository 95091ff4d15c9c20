"""Frozen domain models shared by every layer. Wire parsing lives in api/schemas.py, not here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

from blooio_desktop.core.status import MessageStatus

T = TypeVar("T")


class Direction(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class Protocol(StrEnum):
    IMESSAGE = "imessage"
    SMS = "sms"
    RCS = "rcs"
    NON_IMESSAGE = "non-imessage"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: object) -> Protocol:
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                pass
        return cls.UNKNOWN


TAPBACKS: tuple[str, ...] = ("love", "like", "dislike", "laugh", "emphasize", "question")


@dataclass(frozen=True, slots=True)
class Attachment:
    """An attachment is always a URL; name/type/size are known only when someone looked."""

    url: str
    name: str | None = None
    mime_type: str | None = None
    size: int | None = None


@dataclass(frozen=True, slots=True)
class Reaction:
    """A tapback (or emoji) on a message; `sender` None means it was ours."""

    reaction: str
    sender: str | None = None
    is_added: bool = True
    time_sent: int | None = None


@dataclass(frozen=True, slots=True)
class ContactRef:
    identifier: str
    contact_id: str | None = None
    name: str | None = None


@dataclass(frozen=True, slots=True)
class Contact:
    identifier: str
    contact_id: str | None = None
    name: str | None = None
    type: str = "phone"
    created_at: int | None = None
    last_message_time: int | None = None
    tags: tuple[str, ...] = ()

    @property
    def display_name(self) -> str:
        return self.name or self.identifier


@dataclass(frozen=True, slots=True)
class Capabilities:
    contact: str
    imessage: bool = False
    sms: bool = False
    facetime: bool = False
    type: str = "phone"
    last_checked: int | None = None


@dataclass(frozen=True, slots=True)
class LastMessage:
    message_id: str | None
    text: str | None
    direction: Direction | None
    time_sent: int | None


@dataclass(frozen=True, slots=True)
class Chat:
    """A conversation: 1:1 (phone/email), a named group (grp_…), or an ad-hoc multi-recipient chat."""

    id: str
    type: str = "phone"
    is_group: bool = False
    group_id: str | None = None
    group_name: str | None = None
    member_count: int | None = None
    contact: ContactRef | None = None
    message_count: int = 0
    inbound_count: int = 0
    outbound_count: int = 0
    first_message_time: int | None = None
    last_message_time: int | None = None
    last_inbound_time: int | None = None
    last_outbound_time: int | None = None
    last_message: LastMessage | None = None

    @property
    def title(self) -> str:
        if self.is_group:
            return self.group_name or "Group"
        if self.contact and self.contact.name:
            return self.contact.name
        return self.id


@dataclass(frozen=True, slots=True)
class ReplyTo:
    message_id: str | None = None
    guid: str | None = None
    part_index: int | None = None


@dataclass(frozen=True, slots=True)
class Message:
    message_id: str
    chat_id: str
    direction: Direction
    text: str | None = None
    attachments: tuple[Attachment, ...] = ()
    sender: str | None = None
    reactions: tuple[Reaction, ...] = ()
    time_sent: int | None = None
    time_delivered: int | None = None
    status: MessageStatus = MessageStatus.PENDING
    protocol: Protocol = Protocol.UNKNOWN
    error: str | None = None
    external_id: str | None = None
    internal_id: str | None = None
    reply_to: ReplyTo | None = None


@dataclass(frozen=True, slots=True)
class MessageStatusInfo:
    message_id: str
    chat_id: str | None
    direction: Direction | None
    status: MessageStatus
    protocol: Protocol
    time_sent: int | None = None
    time_delivered: int | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class SendResult:
    """What a send returned. `replayed` is True when the Idempotency-Key matched an earlier send (200)."""

    message_ids: tuple[str, ...]
    status: MessageStatus
    idempotency_key: str
    replayed: bool = False
    group_id: str | None = None
    group_created: bool = False
    participants: tuple[str, ...] = ()

    @property
    def message_id(self) -> str:
        return self.message_ids[0]


@dataclass(frozen=True, slots=True)
class ReactionResult:
    message_id: str
    reaction: str
    action: str
    success: bool = True


@dataclass(frozen=True, slots=True)
class Group:
    group_id: str
    name: str | None = None
    chat_guid: str | None = None
    icon_url: str | None = None
    member_count: int = 0
    message_count: int = 0
    last_message_text: str | None = None
    last_message_time: int | None = None
    last_message_direction: Direction | None = None
    created_at: int | None = None


@dataclass(frozen=True, slots=True)
class GroupMember:
    identifier: str
    contact_id: str | None = None
    name: str | None = None
    added_at: int | None = None


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    phone_number: str
    is_active: bool = True
    last_active: str | None = None
    plan_kind: str | None = None


@dataclass(frozen=True, slots=True)
class Account:
    """GET /me. The echoed api_key is deliberately not kept."""

    valid: bool
    auth_type: str | None = None
    organization_id: str | None = None
    organization_name: str | None = None
    numbers: tuple[PhoneNumber, ...] = ()


@dataclass(frozen=True, slots=True)
class Webhook:
    webhook_id: str
    webhook_url: str
    webhook_type: str = "message"
    scope: str | None = None
    created_at: int | None = None
    deprecated_at: int | None = None
    valid_until: int | None = None
    last_triggered: int | None = None
    failure_count: int = 0
    is_active: bool = True
    signing_secret: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class WebhookLog:
    event_id: str
    webhook_url: str | None
    attempted_time: int | None
    response_status: int | None
    event_body: dict[str, Any] = field(default_factory=dict)
    event_name: str | None = None
    message_id: str | None = None
    is_replay: bool = False
    original_event_id: str | None = None
    duration_ms: int | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    limit: int
    offset: int
    total: int | None = None
    has_more: bool | None = None


# --- Local-only views: what the app knows beyond the API (unread, pins, outbox, inspector) ---


@dataclass(frozen=True, slots=True)
class ChatListItem:
    """One row of the chat list: the chat plus what only this device knows about it."""

    chat: Chat
    unread_count: int = 0
    pinned: bool = False
    muted: bool = False
    protocol: Protocol = Protocol.UNKNOWN  # iMessage/SMS badge, from capabilities or last message
    from_number: str | None = None  # sending number chosen for this chat
    draft: str | None = None


class OutboxState(StrEnum):
    PENDING = "pending"  # waiting for its (next) attempt
    SENDING = "sending"  # an HTTP request is in flight
    SENT = "sent"  # Blooio accepted it (202, or 200 on an idempotent replay)
    FAILED = "failed"  # non-retryable error; the user may edit and retry, or discard


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """A send the user asked for, persisted before any HTTP request so it survives a crash."""

    idempotency_key: str
    chat_id: str
    text: str | None
    attachments: tuple[Attachment, ...] = ()
    from_number: str | None = None
    reply_to: str | None = None  # message id
    state: OutboxState = OutboxState.PENDING
    attempts: int = 0
    next_attempt_at: float | None = None  # unix seconds
    last_error: str | None = None
    created_at: float = 0.0
    local_message_id: str = ""  # id of the optimistic message shown at once
    server_message_id: str | None = None


@dataclass(frozen=True, slots=True)
class WebhookDelivery:
    """One HTTP request that reached the listener, as the inspector shows it (secrets redacted)."""

    id: int | None
    received_at: float  # unix seconds
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    verdict: str
    response_status: int
    response_body: str = ""
    event: str | None = None
    message_id: str | None = None
    processing_ms: float | None = None
    delay_ms: float | None = None  # arrival minus the payload's `timestamp`
    replay_of: int | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class SearchHit:
    message: Message
    snippet: str
    rank: float
