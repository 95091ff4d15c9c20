"""The sandbox's data model: contacts, groups, chats, messages, webhooks — plain records in dicts.

Everything the fake Blooio knows lives in one `SandboxState`, so reset is "make a new one" and
persistence is "snapshot it to JSON". Chats are not stored separately: a chat is the ordered list of
message ids under its chat id (a handle for 1:1 chats, a `grp_…` id for groups).
"""

from __future__ import annotations

import dataclasses
import secrets
import string
import time
from dataclasses import dataclass, field
from typing import Any

NUMBERS = ("+15550001111", "+15550002222")
ORGANIZATION_ID = "org_sandbox"
_ALPHABET = string.ascii_letters + string.digits


def now_ms() -> int:
    return int(time.time() * 1000)


def new_id(prefix: str = "", length: int = 21) -> str:
    """Opaque nanoid-style ids like Blooio's (never starting with '-', so never a relative index)."""
    return prefix + "".join(secrets.choice(_ALPHABET) for _ in range(length))


@dataclass
class ContactRec:
    contact_id: str
    identifier: str
    name: str | None
    created_at: int
    sms_only: bool = False
    deleted_at: int | None = None
    tags: dict[str, int] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return "email" if "@" in self.identifier else "phone"


@dataclass
class GroupRec:
    group_id: str
    name: str | None
    members: dict[str, int]  # identifier -> added_at (ms)
    created_at: int
    chat_guid: str | None = None
    icon_url: str | None = None
    deleted_at: int | None = None


@dataclass
class MessageRec:
    message_id: str
    chat_id: str
    direction: str  # inbound | outbound
    internal_id: str
    time_sent: int
    status: str
    protocol: str
    text: str | None = None
    attachments: list[dict[str, str]] = field(default_factory=list)
    sender: str | None = None
    time_delivered: int | None = None
    time_read: int | None = None
    error: str | None = None
    reactions: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class WebhookRec:
    webhook_id: str
    webhook_url: str
    webhook_type: str
    signing_secret: str = field(repr=False)
    created_at: int
    valid_until: int = -1
    deprecated_at: int | None = None
    last_triggered: int | None = None
    failure_count: int = 0
    rotation_count: int = 0
    logs: list[dict[str, Any]] = field(default_factory=list)

    def is_active(self, at_ms: int) -> bool:
        return self.deprecated_at is None and (
            self.valid_until in (-1, None) or self.valid_until > at_ms
        )


@dataclass
class SandboxState:
    """All server truth. Mutated only on the event loop, so no locking is needed."""

    contacts: dict[str, ContactRec] = field(default_factory=dict)
    groups: dict[str, GroupRec] = field(default_factory=dict)
    messages: dict[str, MessageRec] = field(default_factory=dict)
    chats: dict[str, list[str]] = field(default_factory=dict)
    webhooks: dict[str, WebhookRec] = field(default_factory=dict)
    idempotency: dict[str, dict[str, Any]] = field(default_factory=dict)
    polls: dict[str, dict[str, Any]] = field(default_factory=dict)
    backgrounds: dict[str, dict[str, Any]] = field(default_factory=dict)
    read_markers: dict[str, int] = field(default_factory=dict)
    newest_time_sent: int = 0

    # -- contacts -------------------------------------------------------------------------------
    def contact(self, identifier: str) -> ContactRec | None:
        rec = self.contacts.get(identifier)
        return rec if rec is not None and rec.deleted_at is None else None

    def ensure_contact(self, identifier: str, name: str | None = None) -> ContactRec:
        """The live contact for a handle, created (or revived after a soft delete) when needed."""
        rec = self.contacts.get(identifier)
        if rec is None:
            rec = ContactRec(new_id("ct_", 10), identifier, name, now_ms())
            self.contacts[identifier] = rec
        elif rec.deleted_at is not None:
            rec.deleted_at = None
        if name and not rec.name:
            rec.name = name
        return rec

    def is_sms_only(self, identifier: str) -> bool:
        """SMS-only contacts: flagged ones, and any phone ending in 9 so tests can pick one."""
        rec = self.contacts.get(identifier)
        if rec is not None and rec.sms_only:
            return True
        return "@" not in identifier and identifier.endswith("9")

    def protocol_for(self, chat_id: str) -> str:
        return "imessage" if chat_id.startswith("grp_") or not self.is_sms_only(chat_id) else "sms"

    # -- groups ---------------------------------------------------------------------------------
    def group(self, group_id: str) -> GroupRec | None:
        rec = self.groups.get(group_id)
        return rec if rec is not None and rec.deleted_at is None else None

    def group_for_participants(self, handles: list[str]) -> tuple[GroupRec, bool]:
        """Reuse the unnamed group with exactly these participants, or create it (ad-hoc chat id)."""
        wanted = set(handles)
        for rec in self.groups.values():
            if rec.deleted_at is None and set(rec.members) == wanted:
                return rec, False
        return self.create_group(None, handles), True

    def create_group(
        self, name: str | None, handles: list[str], chat_guid: str | None = None
    ) -> GroupRec:
        at = now_ms()
        for handle in handles:
            self.ensure_contact(handle)
        rec = GroupRec(new_id("grp_", 12), name, dict.fromkeys(handles, at), at, chat_guid)
        self.groups[rec.group_id] = rec
        return rec

    # -- messages -------------------------------------------------------------------------------
    def next_message_time(self) -> int:
        """Now, in ms, but strictly after every live message so far: clients order messages by time,
        and two messages created in the same millisecond would otherwise show up shuffled."""
        self.newest_time_sent = max(now_ms(), self.newest_time_sent + 1)
        return self.newest_time_sent

    def add_message(self, rec: MessageRec) -> MessageRec:
        """Store a message, keeping its chat ordered by time (seeded history arrives out of order)."""
        self.messages[rec.message_id] = rec
        ids = self.chats.setdefault(rec.chat_id, [])
        if ids and self.messages[ids[-1]].time_sent > rec.time_sent:
            ids.append(rec.message_id)
            ids.sort(key=lambda mid: self.messages[mid].time_sent)
        else:
            ids.append(rec.message_id)
        return rec

    def chat_messages(self, chat_id: str) -> list[MessageRec]:
        return [self.messages[mid] for mid in self.chats.get(chat_id, ())]

    def chat_ids(self) -> list[str]:
        """Every chat that exists: 1:1 chats with history plus all live groups."""
        ids = [cid for cid, mids in self.chats.items() if mids and not cid.startswith("grp_")]
        return ids + [gid for gid, g in self.groups.items() if g.deleted_at is None]

    # -- persistence ----------------------------------------------------------------------------
    def to_snapshot(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> SandboxState:
        def rebuild(key: str, rec_type: type) -> dict[str, Any]:
            return {k: rec_type(**v) for k, v in data.get(key, {}).items()}

        return cls(
            contacts=rebuild("contacts", ContactRec),
            groups=rebuild("groups", GroupRec),
            messages=rebuild("messages", MessageRec),
            chats={k: list(v) for k, v in data.get("chats", {}).items()},
            webhooks=rebuild("webhooks", WebhookRec),
            idempotency=dict(data.get("idempotency", {})),
            polls=dict(data.get("polls", {})),
            backgrounds=dict(data.get("backgrounds", {})),
            read_markers=dict(data.get("read_markers", {})),
            newest_time_sent=int(data.get("newest_time_sent", 0)),
        )
