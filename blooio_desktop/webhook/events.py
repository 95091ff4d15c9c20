"""The one place webhook JSON becomes a `WebhookEvent` (blooio-api.md §10.3/§10.4).

Lenient on purpose: Blooio adds fields often and documents some shapes loosely, so every field is
optional, both attachment shapes (`"url"` and `{url, name}`) are accepted, unknown events are kept
with their raw payload, and the `{event|type, data: {...}}` envelope used by Blooio's Python guide
(with `from` for the sender) is unwrapped.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.core.lenient import as_int, as_str
from blooio_desktop.core.models import Attachment, ContactRef, Protocol
from blooio_desktop.core.status import MessageStatus

T = TypeVar("T")


def parse_body(body: bytes, *, event_header: str | None = None) -> WebhookEvent:
    """Decode a (verified) request body. Raises ValidationError when it is not a JSON object."""
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(f"body is not valid JSON: {exc}", field="body") from None
    if not isinstance(payload, dict):
        raise ValidationError("body must be a JSON object", field="body")
    return parse_event(payload, event_header=event_header)


def parse_event(payload: Mapping[str, Any], *, event_header: str | None = None) -> WebhookEvent:
    """Build a `WebhookEvent` from a payload dict; the `X-Blooio-Event` header is a fallback name."""
    fields = _flatten(payload)
    name = _str(fields.get("event")) or _str(fields.get("type")) or _str(event_header) or "unknown"
    return WebhookEvent(
        event=name,
        message_id=_str(fields.get("message_id")),
        external_id=_str(fields.get("external_id")),
        internal_id=_str(fields.get("internal_id")),
        status=MessageStatus.parse(fields["status"]) if _str(fields.get("status")) else None,
        protocol=Protocol.parse(fields.get("protocol")),
        timestamp=as_int(fields.get("timestamp")),
        is_group=fields.get("is_group") is True,
        group_id=_str(fields.get("group_id")),
        group_name=_str(fields.get("group_name")),
        participants=_participants(fields.get("participants")),
        text=_str(fields.get("text")),
        attachments=_attachments(fields.get("attachments")),
        sender=_str(fields.get("sender")) or _str(fields.get("from")),
        received_at=as_int(fields.get("received_at")),
        sent_at=as_int(fields.get("sent_at")),
        delivered_at=as_int(fields.get("delivered_at")),
        read_at=as_int(fields.get("read_at")),
        error_code=_str(fields.get("error_code")),
        error_message=_str(fields.get("error_message")),
        reaction=_str(fields.get("reaction")),
        action=_str(fields.get("action")),
        direction=_str(fields.get("direction")),
        raw=dict(payload),
    )


def _flatten(payload: Mapping[str, Any]) -> dict[str, Any]:
    """v2 bodies are flat; an envelope's `data` object is merged under the top-level keys."""
    data = payload.get("data")
    if isinstance(data, Mapping) and "message_id" not in payload:
        merged = dict(data)
        merged.update({k: v for k, v in payload.items() if k != "data"})
        if "message_id" not in merged and "id" in data:
            merged["message_id"] = data["id"]
        return merged
    return dict(payload)


def _str(value: object) -> str | None:
    """Like `as_str`, but a blank string is missing too (ids, names and urls cannot be blank)."""
    text = as_str(value)
    return text if text and text.strip() else None


def _attachments(value: object) -> tuple[Attachment, ...]:
    return _either_shape(
        value,
        "url",
        lambda item: Attachment(
            url=str(item["url"]),
            name=_str(item.get("name")),
            mime_type=_str(item.get("mime_type")) or _str(item.get("content_type")),
            size=as_int(item.get("size")),
        ),
    )


def _participants(value: object) -> tuple[ContactRef, ...]:
    return _either_shape(
        value,
        "identifier",
        lambda item: ContactRef(
            identifier=str(item["identifier"]),
            contact_id=_str(item.get("contact_id")),
            name=_str(item.get("name")),
        ),
    )


def _either_shape(
    value: object, key: str, build: Callable[[Mapping[str, Any]], T]
) -> tuple[T, ...]:
    """A list whose items come as bare strings (`"https://…"`) or objects with `key` (`{"url":
    …, "name": …}`); items that are neither, or blank, are skipped."""
    if not isinstance(value, list):
        return ()
    result: list[T] = []
    for item in value:
        fields = {key: item} if isinstance(item, str) else item
        if isinstance(fields, Mapping) and _str(fields.get(key)):
            result.append(build(fields))
    return tuple(result)
