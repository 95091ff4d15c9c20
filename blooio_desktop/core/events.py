"""Typed webhook events and the `Changes` value every write reports, so views touch only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from blooio_desktop.core.models import Attachment, ContactRef, Protocol
from blooio_desktop.core.status import MessageStatus

KNOWN_EVENTS: frozenset[str] = frozenset(
    {
        "message.received",
        "message.sent",
        "message.delivered",
        "message.read",
        "message.failed",
        "message.reaction",
        "message.queued",
    }
)


@dataclass(frozen=True, slots=True)
class WebhookEvent:
    """One verified webhook payload (blooio-api.md §10.3/§10.4), lenient about missing fields.

    `raw` keeps the payload exactly as parsed so unknown fields and unknown events are never lost.
    """

    event: str
    message_id: str | None
    external_id: str | None = None
    internal_id: str | None = None
    status: MessageStatus | None = None
    protocol: Protocol = Protocol.UNKNOWN
    timestamp: int | None = None
    is_group: bool = False
    group_id: str | None = None
    group_name: str | None = None
    participants: tuple[ContactRef, ...] = ()
    text: str | None = None
    attachments: tuple[Attachment, ...] = ()
    sender: str | None = None
    received_at: int | None = None
    sent_at: int | None = None
    delivered_at: int | None = None
    read_at: int | None = None
    error_code: str | None = None
    error_message: str | None = None
    reaction: str | None = None
    action: str | None = None
    direction: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_known(self) -> bool:
        return self.event in KNOWN_EVENTS

    @property
    def chat_id(self) -> str | None:
        """The chat this event belongs to: the group id for groups, else the contact (external_id)."""
        if self.is_group and self.group_id:
            return self.group_id
        return self.external_id

    @property
    def dedupe_key(self) -> tuple[str, str, str]:
        """Same event for the same message (and, for reactions, the same tapback) is one delivery."""
        extra = f"{self.sender}:{self.reaction}:{self.action}" if self.event == "message.reaction" else ""
        return (self.event, self.message_id or "", extra)


@dataclass(frozen=True, slots=True)
class Changes:
    """What one store operation touched. `origin` lets a view skip the echo of its own action."""

    chats: frozenset[str] = frozenset()
    inserted_messages: tuple[tuple[str, str], ...] = ()  # (chat_id, message_id)
    updated_messages: tuple[tuple[str, str], ...] = ()
    removed_messages: tuple[tuple[str, str], ...] = ()
    outbox: frozenset[str] = frozenset()  # idempotency keys
    deliveries: tuple[int, ...] = ()  # inspector delivery row ids
    origin: str | None = None

    @property
    def empty(self) -> bool:
        return not (
            self.chats
            or self.inserted_messages
            or self.updated_messages
            or self.removed_messages
            or self.outbox
            or self.deliveries
        )

    def merge(self, other: Changes) -> Changes:
        return Changes(
            chats=self.chats | other.chats,
            inserted_messages=self.inserted_messages + other.inserted_messages,
            updated_messages=self.updated_messages + other.updated_messages,
            removed_messages=self.removed_messages + other.removed_messages,
            outbox=self.outbox | other.outbox,
            deliveries=self.deliveries + other.deliveries,
            origin=self.origin or other.origin,
        )
