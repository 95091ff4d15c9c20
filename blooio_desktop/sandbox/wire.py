"""State records → the JSON shapes of Blooio's v2 API (blooio-api.md §6, §10.3, §10.4).

The one place in the sandbox that knows wire field names, so the official SDK's strict models and
our own client see exactly the documented shapes.
"""

from __future__ import annotations

from typing import Any

from blooio_desktop.sandbox.state import (
    ContactRec,
    GroupRec,
    MessageRec,
    SandboxState,
    WebhookRec,
    now_ms,
)

# REST message status has no "read" (SDK enum); a read message stays "delivered" with `time_read`.
_REST_STATUS = {"read": "delivered", "received": "delivered"}


def contact_json(c: ContactRec, state: SandboxState) -> dict[str, Any]:
    times = [m.time_sent for m in state.chat_messages(c.identifier)]
    return {
        "id": c.identifier,
        "contact_id": c.contact_id,
        "identifier": c.identifier,
        "name": c.name,
        "type": c.kind,
        "created_at": c.created_at,
        "last_message_time": max(times) if times else None,
        "tags": sorted(c.tags),
    }


def contact_ref(state: SandboxState, handle: str) -> dict[str, Any]:
    """`{contact_id, identifier, name}`; read-only, so a GET never revives a deleted contact."""
    c = state.contacts.get(handle)
    return {
        "contact_id": c.contact_id if c else None,
        "identifier": handle,
        "name": c.name if c else None,
    }


def capabilities_json(state: SandboxState, handle: str) -> dict[str, Any]:
    imessage = not state.is_sms_only(handle)
    is_email = "@" in handle
    return {
        "contact": handle,
        "type": "email" if is_email else "phone",
        "capabilities": {"imessage": imessage, "sms": not is_email, "facetime": imessage},
        "last_checked": now_ms(),
    }


def _last(msgs: list[MessageRec], direction: str | None = None) -> int | None:
    times = [m.time_sent for m in msgs if direction is None or m.direction == direction]
    return max(times) if times else None


def chat_json(state: SandboxState, chat_id: str, *, detail: bool = False) -> dict[str, Any]:
    msgs = state.chat_messages(chat_id)
    group = state.groups.get(chat_id)
    last = msgs[-1] if msgs else None
    body: dict[str, Any] = {
        "id": chat_id,
        "type": "group" if group else ("email" if "@" in chat_id else "phone"),
        "is_group": group is not None,
        "group_id": group.group_id if group else None,
        "group_name": group.name if group else None,
        "member_count": len(group.members) if group else None,
        "contact": None if group else contact_ref(state, chat_id),
        "message_count": len(msgs),
        "inbound_count": sum(m.direction == "inbound" for m in msgs),
        "outbound_count": sum(m.direction == "outbound" for m in msgs),
        "last_message_time": last.time_sent if last else None,
        "last_inbound_time": _last(msgs, "inbound"),
        "last_outbound_time": _last(msgs, "outbound"),
        "last_message": None
        if last is None
        else {
            "message_id": last.message_id,
            "text": last.text,
            "direction": last.direction,
            "time_sent": last.time_sent,
        },
    }
    if detail:
        body["first_message_time"] = msgs[0].time_sent if msgs else None
    return body


def message_json(m: MessageRec, *, external: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "message_id": m.message_id,
        "direction": m.direction,
        "internal_id": m.internal_id,
        "text": m.text,
        "attachments": [dict(a) for a in m.attachments],
        "sender": m.sender,
        "reactions": [dict(r) for r in m.reactions],
        "time_sent": m.time_sent,
        "time_delivered": m.time_delivered,
        "time_read": m.time_read,
        "status": _REST_STATUS.get(m.status, m.status),
        "protocol": m.protocol,
        "error": m.error,
    }
    if external:
        body["external_id"] = m.chat_id
    return body


def message_detail_json(state: SandboxState, m: MessageRec) -> dict[str, Any]:
    body = message_json(m, external=False)
    body["chat_id"] = m.chat_id
    handle = m.sender if m.chat_id.startswith("grp_") else m.chat_id
    body["contact"] = contact_ref(state, handle) if handle else None
    return body


def status_json(m: MessageRec) -> dict[str, Any]:
    return {
        "message_id": m.message_id,
        "chat_id": m.chat_id,
        "direction": m.direction,
        "status": _REST_STATUS.get(m.status, m.status),
        "protocol": m.protocol,
        "time_sent": m.time_sent,
        "time_delivered": m.time_delivered,
        "error": m.error,
    }


def group_json(state: SandboxState, g: GroupRec) -> dict[str, Any]:
    msgs = state.chat_messages(g.group_id)
    last = msgs[-1] if msgs else None
    return {
        "group_id": g.group_id,
        "name": g.name,
        "chat_guid": g.chat_guid,
        "icon_url": g.icon_url,
        "member_count": len(g.members),
        "message_count": len(msgs),
        "last_message_text": last.text if last else None,
        "last_message_time": last.time_sent if last else None,
        "last_message_direction": last.direction if last else None,
        "created_at": g.created_at,
    }


def member_json(state: SandboxState, handle: str, added_at: int) -> dict[str, Any]:
    return {"id": handle, **contact_ref(state, handle), "added_at": added_at}


def webhook_json(w: WebhookRec) -> dict[str, Any]:
    return {
        "webhook_id": w.webhook_id,
        "webhook_url": w.webhook_url,
        "webhook_type": w.webhook_type,
        "scope": "api_key",
        "api_key_name": "sandbox key",
        "integration_name": None,
        "created_at": w.created_at,
        "deprecated_at": w.deprecated_at,
        "valid_until": w.valid_until,
        "last_triggered": w.last_triggered,
        "failure_count": w.failure_count,
        "is_active": w.is_active(now_ms()),
    }


def event_payload(state: SandboxState, event: str, m: MessageRec, **fields: Any) -> dict[str, Any]:
    """A flat v2 webhook body (§10.3) for `event` about message `m`; `fields` add event-specific keys."""
    body: dict[str, Any] = {
        "event": event,
        "message_id": m.message_id,
        "external_id": m.chat_id,
        "internal_id": m.internal_id,
        "protocol": m.protocol,
        "timestamp": now_ms(),
    }
    group = state.groups.get(m.chat_id)
    body["is_group"] = group is not None
    if group is not None:
        body["group_id"] = group.group_id
        body["group_name"] = group.name
        body["participants"] = [contact_ref(state, h) for h in group.members]
    body.update(fields)
    return body


def received_payload(state: SandboxState, m: MessageRec) -> dict[str, Any]:
    return event_payload(
        state,
        "message.received",
        m,
        status="received",
        text=m.text,
        attachments=[dict(a) for a in m.attachments],
        sender=m.sender or m.chat_id,
        received_at=m.time_sent,
    )


def status_payload(state: SandboxState, m: MessageRec) -> dict[str, Any]:
    """message.sent / delivered / read / failed for an outbound message's current status."""
    extra: dict[str, Any] = {"status": m.status}
    if m.status == "sent":
        extra.update(text=m.text, attachments=[dict(a) for a in m.attachments], sent_at=m.time_sent)
    elif m.status == "delivered":
        extra["delivered_at"] = m.time_delivered
    elif m.status == "read":
        extra["read_at"] = m.time_read
    elif m.status == "failed":
        extra.update(error_code="unreachable", error_message=m.error or "Recipient is unreachable")
    return event_payload(state, f"message.{m.status}", m, **extra)


def reaction_payload(
    state: SandboxState, m: MessageRec, reaction: str, action: str, sender: str, direction: str
) -> dict[str, Any]:
    return event_payload(
        state,
        "message.reaction",
        m,
        direction=direction,
        reaction=reaction,
        action=action,
        sender=sender,
        original_text=m.text,
    )
