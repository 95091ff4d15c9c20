"""Message endpoints: history, single message and status, sending, and reactions (tapbacks)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from blooio_desktop.api import bodies, schemas
from blooio_desktop.api.pagination import paginate
from blooio_desktop.api.params import (
    build_path,
    choice,
    page_params,
    query,
    require_id,
    timestamp_ms,
)
from blooio_desktop.api.resource import Resource
from blooio_desktop.api.wire import obj
from blooio_desktop.core.identifiers import normalize_chat_id
from blooio_desktop.core.models import (
    Attachment,
    Message,
    MessageStatusInfo,
    Page,
    ReactionResult,
    ReplyTo,
    SendResult,
)

MESSAGE_SORTS = ("asc", "desc")
DIRECTIONS = ("inbound", "outbound")
_REPLAYED = 200  # an Idempotency-Key seen before: the original answer, nothing new was sent


class MessagesApi(Resource):
    async def list_messages(
        self,
        chat_id: str,
        *,
        limit: int = 50,
        offset: int = 0,
        sort: str | None = None,
        direction: str | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> Page[Message]:
        """One page of a chat's history; `since`/`until` are ms and exclusive."""
        chat = require_id(chat_id, "chat")
        params = query(
            sort=choice(sort, MESSAGE_SORTS, "sort"),
            direction=choice(direction, DIRECTIONS, "direction"),
            since=timestamp_ms(since, "since"),
            until=timestamp_ms(until, "until"),
            **page_params(limit, offset),
        )
        data = await self._call("GET", build_path("chats", chat, "messages"), params=params)
        chat = schemas.parse_chat_id(data) or chat
        return schemas.parse_page(
            data,
            "messages",
            lambda item: schemas.parse_message(item, chat),
            limit=limit,
            offset=offset,
        )

    def iter_messages(
        self,
        chat_id: str,
        *,
        page_size: int = 50,
        sort: str | None = None,
        direction: str | None = None,
        since: int | None = None,
        until: int | None = None,
    ) -> AsyncIterator[Message]:
        async def fetch(limit: int, offset: int) -> Page[Message]:
            return await self.list_messages(
                chat_id,
                limit=limit,
                offset=offset,
                sort=sort,
                direction=direction,
                since=since,
                until=until,
            )

        return paginate(fetch, page_size=page_size)

    async def get_message(self, chat_id: str, message_id: str) -> Message:
        chat = require_id(chat_id, "chat")
        path = build_path("chats", chat, "messages", require_id(message_id, "message id"))
        return schemas.parse_message(await self._call("GET", path), chat)

    async def message_status(self, chat_id: str, message_id: str) -> MessageStatusInfo:
        chat = require_id(chat_id, "chat")
        path = build_path("chats", chat, "messages", require_id(message_id, "message id"), "status")
        return schemas.parse_status_info(await self._call("GET", path), chat)

    async def send_message(
        self,
        chat_id: str,
        *,
        text: str | Sequence[str] | None = None,
        attachments: Sequence[str | Attachment] = (),
        from_number: str | None = None,
        use_typing_indicator: bool | None = None,
        reply_to: str | ReplyTo | None = None,
        idempotency_key: str | None = None,
    ) -> SendResult:
        """Send (202) or replay (200). The Idempotency-Key is generated if not given and reused on
        every retry, so a send that timed out after the server accepted it is never duplicated.
        """
        chat = normalize_chat_id(require_id(chat_id, "recipient"))
        body = bodies.send_body(
            text=text,
            attachments=attachments,
            from_number=from_number,
            use_typing_indicator=use_typing_indicator,
            reply_to=reply_to,
        )
        key = bodies.idempotency_key(idempotency_key)
        response = await self._raw(
            "POST",
            build_path("chats", chat, "messages"),
            json_body=body,
            headers={"Idempotency-Key": key},
        )
        return schemas.parse_send_result(
            obj(response.data), idempotency_key=key, replayed=response.status == _REPLAYED
        )

    async def react(
        self,
        chat_id: str,
        message_id: str | int,
        reaction: str,
        *,
        add: bool = True,
        direction: str | None = None,
    ) -> ReactionResult:
        """Add or remove a tapback/emoji; `message_id` may be a relative index (-1 = latest)."""
        ref = bodies.message_ref(message_id)
        value = bodies.reaction_value(reaction, add=add)
        body = query(reaction=value, direction=choice(direction, DIRECTIONS, "direction"))
        path = build_path("chats", require_id(chat_id, "chat"), "messages", ref, "reactions")
        data = await self._call("POST", path, json_body=body, replay_safe=True)
        return schemas.parse_reaction_result(data, ref, value)
