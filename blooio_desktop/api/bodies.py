"""Request bodies: core values → wire JSON, checked before any HTTP so bad input gets a specific message.

The other direction (wire JSON → core models) is api/schemas.py.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.identifiers import normalize_handle, normalize_phone
from blooio_desktop.core.models import TAPBACKS, Attachment, ReplyTo
from blooio_desktop.core.urls import validate_http_url

WEBHOOK_TYPES = ("message", "status", "all", "poll")
ICON_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "image/heic", "image/heif")
MAX_ICON_BYTES = 10 * 1024 * 1024
MAX_GROUP_NAME = 255
MAX_IDEMPOTENCY_KEY = 255
NEVER_EXPIRES = -1
# Names people (and other clients, e.g. chat-adapter-blooio) use for the six tapbacks.
TAPBACK_ALIASES = {
    "heart": "love",
    "thumbs_up": "like",
    "thumbsup": "like",
    "thumbs_down": "dislike",
    "thumbsdown": "dislike",
    "haha": "laugh",
    "exclamation": "emphasize",
    "!!": "emphasize",
    "?": "question",
}


def idempotency_key(key: str | None) -> str:
    """The caller's key, or a fresh UUID4. It must survive as an HTTP header value."""
    if key is None:
        return str(uuid.uuid4())
    if not isinstance(key, str) or not key.strip():
        raise ValidationError("The idempotency key is empty.", field="idempotency_key")
    if len(key) > MAX_IDEMPOTENCY_KEY:
        raise ValidationError(
            f"The idempotency key is too long ({len(key)} characters, at most {MAX_IDEMPOTENCY_KEY}).",
            field="idempotency_key",
        )
    if not key.isascii() or not key.isprintable() or key != key.strip():
        raise ValidationError(
            "The idempotency key may contain only printable ASCII characters, without leading or "
            "trailing spaces.",
            field="idempotency_key",
        )
    return key


def _texts(text: str | Sequence[str] | None) -> str | list[str] | None:
    if text is None:
        return None
    if isinstance(text, str):
        return text if text.strip() else None
    parts = list(text)
    if not parts:
        return None
    for index, part in enumerate(parts, start=1):
        if not isinstance(part, str) or not part.strip():
            raise ValidationError(f"Message {index} of {len(parts)} is empty.", field="text")
    return parts


def _attachment(item: str | Attachment) -> str | dict[str, str]:
    if isinstance(item, Attachment):
        url = validate_http_url(item.url, what="attachment link", field="attachments")
        return {"url": url, "name": item.name} if item.name else url
    return validate_http_url(item, what="attachment link", field="attachments")


def _reply_to(reply_to: str | ReplyTo) -> dict[str, Any]:
    if isinstance(reply_to, str):
        if not reply_to.strip():
            raise ValidationError("The message to reply to is empty.", field="reply_to")
        return {"message_id": reply_to.strip()}
    if reply_to.message_id:
        return {"message_id": reply_to.message_id}
    if reply_to.guid:
        body: dict[str, Any] = {"guid": reply_to.guid}
        if reply_to.part_index is not None:
            body["part_index"] = reply_to.part_index
        return body
    raise ValidationError("A reply needs the id of the message it answers.", field="reply_to")


def send_body(
    *,
    text: str | Sequence[str] | None,
    attachments: Sequence[str | Attachment],
    from_number: str | None,
    use_typing_indicator: bool | None,
    reply_to: str | ReplyTo | None,
) -> dict[str, Any]:
    """Body of POST /chats/{chatId}/messages (blooio-api.md §6.4)."""
    if isinstance(attachments, str | Attachment):
        attachments = [attachments]
    texts = _texts(text)
    links = [_attachment(item) for item in attachments]
    if texts is None and not links:
        raise ValidationError("Type a message or attach a link", field="text")
    body: dict[str, Any] = {}
    if texts is not None:
        body["text"] = texts
    if links:
        body["attachments"] = links
    if from_number is not None:
        body["from_number"] = normalize_phone(from_number)
    if use_typing_indicator is not None:
        body["use_typing_indicator"] = bool(use_typing_indicator)
    if reply_to is not None:
        if isinstance(texts, list):
            raise ValidationError(
                "A reply can only be a single message, not a list of texts.", field="reply_to"
            )
        body["reply_to"] = _reply_to(reply_to)
    return body


def reaction_value(reaction: str, *, add: bool) -> str:
    """`love` + add → `+love`; an explicit `+`/`-` prefix must agree with `add`."""
    text = reaction.strip() if isinstance(reaction, str) else ""
    sign = text[:1] if text[:1] in ("+", "-") else ""
    name = text[1:].strip() if sign else text
    if not name:
        raise ValidationError(
            f"Pick a reaction: one of {', '.join(TAPBACKS)} or an emoji.", field="reaction"
        )
    if sign and (sign == "+") != add:
        raise ValidationError(
            f"“{reaction}” contradicts {'adding' if add else 'removing'} the reaction.",
            field="reaction",
        )
    name = TAPBACK_ALIASES.get(name.lower(), name)
    if name.lower() in TAPBACKS:
        name = name.lower()
    elif name.isascii():
        raise ValidationError(
            f"“{name}” is not a reaction: use one of {', '.join(TAPBACKS)} or an emoji.",
            field="reaction",
        )
    return ("+" if add else "-") + name


def message_ref(message_id: str | int) -> str:
    """A message id, or a relative index (-1 = latest message) as the reactions route accepts."""
    if isinstance(message_id, bool):
        raise ValidationError("The message id is missing.", field="message_id")
    if isinstance(message_id, int):
        if message_id >= 0:
            raise ValidationError(
                f"A relative message index counts back from the latest: -1, -2, … (got {message_id}).",
                field="message_id",
            )
        return str(message_id)
    if not isinstance(message_id, str) or not message_id.strip():
        raise ValidationError("The message id is missing.", field="message_id")
    return message_id.strip()


def contact_body(identifier: str, name: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"identifier": normalize_handle(identifier)}
    if name is not None and name.strip():
        body["name"] = name.strip()
    return body


def group_name(name: str | None, *, required: bool = True) -> str | None:
    if name is None or not name.strip():
        if required:
            raise ValidationError("Give the group a name.", field="name")
        return None
    if len(name.strip()) > MAX_GROUP_NAME:
        raise ValidationError(
            f"Group names have at most {MAX_GROUP_NAME} characters (this one has {len(name.strip())}).",
            field="name",
        )
    return name.strip()


def group_body(name: str, members: Sequence[str], chat_guid: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": group_name(name)}
    if isinstance(members, str):
        members = [members]
    if members:
        body["members"] = [normalize_handle(member) for member in members]
    if chat_guid:
        body["chat_guid"] = chat_guid
    return body


def icon_file(data: bytes, filename: str, content_type: str) -> dict[str, tuple[str, bytes, str]]:
    """The multipart `icon` field for POST /groups/{id}/icon."""
    if not data:
        raise ValidationError("The icon file is empty.", field="icon")
    if len(data) > MAX_ICON_BYTES:
        raise ValidationError(
            f"The icon is {len(data) / 1_048_576:.1f} MB; group icons can be at most 10 MB.",
            field="icon",
        )
    if content_type.lower() not in ICON_TYPES:
        raise ValidationError(
            f"Group icons must be JPEG, PNG, GIF, WebP or HEIC images (got {content_type}).",
            field="icon",
        )
    return {"icon": (filename or "icon", data, content_type.lower())}


def webhook_type(value: str) -> str:
    if value not in WEBHOOK_TYPES:
        raise ValidationError(
            f"Webhook type must be one of {', '.join(WEBHOOK_TYPES)} (got “{value}”).",
            field="webhook_type",
        )
    return value


def valid_until(value: int | None) -> int:
    """Expiry in ms since 1970; None (or -1) means never."""
    if value is None or value == NEVER_EXPIRES:
        return NEVER_EXPIRES
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(
            f"Webhook expiry must be a time in milliseconds since 1970, or -1 for never (got {value!r}).",
            field="valid_until",
        )
    return value


def webhook_create_body(url: str, kind: str, expires: int | None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "webhook_url": validate_http_url(url, what="webhook URL", field="webhook_url"),
        "webhook_type": webhook_type(kind),
    }
    if expires is not None:
        body["valid_until"] = valid_until(expires)
    return body


def webhook_update_body(
    kind: str | None, expires: int | None, deprecate: bool | None
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    if kind is not None:
        body["webhook_type"] = webhook_type(kind)
    if expires is not None:
        body["valid_until"] = valid_until(expires)
    if deprecate is not None:
        body["deprecate"] = bool(deprecate)
    if not body:
        raise ValidationError("Nothing to change: give a webhook type, an expiry or deprecate.")
    return body
