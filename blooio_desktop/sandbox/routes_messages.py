"""Message routes (blooio-api.md §5, §6.4, §6.5): send with idempotency, list, get, status, react."""

from __future__ import annotations

import json
import posixpath
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from blooio_desktop.sandbox import wire
from blooio_desktop.sandbox.chats import ChatRef, find_message, resolve_chat
from blooio_desktop.sandbox.context import CTX, SandboxContext
from blooio_desktop.sandbox.http import ApiFailure, paginate, query_choice, query_int, read_json
from blooio_desktop.sandbox.state import NUMBERS, MessageRec, new_id, now_ms

routes = web.RouteTableDef()
TAPBACKS = ("love", "like", "dislike", "laugh", "emphasize", "question")
BUBBLE_EFFECTS = ("slam", "loud", "gentle", "invisible-ink")
SCREEN_EFFECTS = (
    "echo",
    "spotlight",
    "balloons",
    "confetti",
    "love",
    "lasers",
    "fireworks",
    "celebration",
)
EFFECTS = frozenset(BUBBLE_EFFECTS + SCREEN_EFFECTS)


def parse_attachment(item: Any) -> dict[str, str]:
    """`"https://…"` or `{"url", "name"?}` → `{"url", "name"}` (name defaults to the file name)."""
    url, name = (item, None) if isinstance(item, str) else (None, None)
    if isinstance(item, dict):
        url, name = item.get("url"), item.get("name")
    if (
        not isinstance(url, str)
        or urlsplit(url).scheme not in ("http", "https")
        or not urlsplit(url).netloc
    ):
        raise ApiFailure(400, f"Attachment {json.dumps(item)} is not a public http(s) URL.")
    return {
        "url": url,
        "name": name
        if isinstance(name, str) and name
        else posixpath.basename(urlsplit(url).path) or "file",
    }


def _texts(body: dict[str, Any]) -> list[str | None]:
    """One entry per message to create: `text` array ⇒ one message each; `parts` are joined."""
    text, parts = body.get("text"), body.get("parts")
    if isinstance(text, list):
        if not text or not all(isinstance(t, str) and t.strip() for t in text):
            raise ApiFailure(400, "'text' as an array must hold non-empty strings.")
        return list(text)
    if text is not None and not isinstance(text, str):
        raise ApiFailure(400, "'text' must be a string or an array of strings.")
    if parts is not None:
        if not isinstance(parts, list) or not all(isinstance(p, dict) for p in parts):
            raise ApiFailure(400, "'parts' must be an array of objects.")
        joined = " ".join(p["text"] for p in parts if isinstance(p.get("text"), str))
        return [joined or None]
    return [text if text and text.strip() else None]


def _from_number(request: web.Request, body: dict[str, Any]) -> str | None:
    number = body.get("from_number") or request.headers.get("X-From-Number")
    if number is not None and number not in NUMBERS:
        raise ApiFailure(
            400, f"'from_number' {number} is not one of your numbers ({', '.join(NUMBERS)})."
        )
    return number


def _create(
    ctx: SandboxContext, ref: ChatRef, body: dict[str, Any], request: web.Request
) -> list[MessageRec]:
    state = ctx.state
    texts = _texts(body)
    attachments = [parse_attachment(a) for a in body.get("attachments") or []]
    attachments += [parse_attachment(p) for p in body.get("parts") or [] if p.get("url")]
    if texts == [None] and not attachments:
        raise ApiFailure(400, "Nothing to send: provide 'text', 'attachments' or 'parts'.")
    effect = body.get("effect")
    if effect is not None and effect not in EFFECTS:
        raise ApiFailure(
            400, f"Unknown effect '{effect}'. Use one of: {', '.join(sorted(EFFECTS))}."
        )
    reply_to = body.get("reply_to")
    if reply_to is not None:
        target = reply_to.get("message_id") if isinstance(reply_to, dict) else None
        if not isinstance(target, str) or state.messages.get(target, None) is None:
            raise ApiFailure(
                400, "The reply target message was not found.", code="reply_target_not_found"
            )
        if state.messages[target].chat_id != ref.chat_id:
            raise ApiFailure(
                400, "The reply target is in another chat.", code="reply_target_chat_mismatch"
            )
    if not ref.chat_id.startswith("grp_"):
        state.ensure_contact(ref.chat_id)
    sender = _from_number(request, body) or _default_number(ctx, ref.chat_id)
    created = []
    for i, text in enumerate(texts):
        created.append(
            state.add_message(
                MessageRec(
                    message_id=new_id(),
                    chat_id=ref.chat_id,
                    direction="outbound",
                    internal_id=sender,
                    time_sent=state.next_message_time(),
                    status="queued",
                    protocol=state.protocol_for(ref.chat_id),
                    text=text,
                    attachments=attachments if i == 0 else [],
                )
            )
        )
    return created


def _default_number(ctx: SandboxContext, chat_id: str) -> str:
    msgs = ctx.state.chat_messages(chat_id)
    return msgs[-1].internal_id if msgs else NUMBERS[0]


@routes.post("/chats/{chat_id}/messages")
async def send_message(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    ctx.counters.send_requests += 1
    body = await read_json(request)
    key = request.headers.get("Idempotency-Key")
    if key is not None and key in ctx.state.idempotency:
        ctx.counters.idempotent_replays += 1
        stored = ctx.state.idempotency[key]
        return web.Response(text=stored["body"], status=200, content_type="application/json")
    ref = resolve_chat(request, create=True)
    created = _create(ctx, ref, body, request)
    result: dict[str, Any] = {"status": "queued"}
    if len(created) == 1:
        result["message_id"] = created[0].message_id
    else:
        result |= {"message_ids": [m.message_id for m in created], "count": len(created)}
    if ref.participants:
        result |= {
            "group_id": ref.chat_id,
            "group_created": ref.group_created,
            "participants": list(ref.participants),
        }
    text = json.dumps(result)
    ctx.counters.messages_created += len(created)
    if key is not None:
        ctx.counters.sends_by_key[key] += len(created)
        ctx.state.idempotency[key] = {"status": 202, "body": text}
    ctx.world.outbound(created)
    ctx.touch()
    return web.Response(text=text, status=202, content_type="application/json")


@routes.get("/chats/{chat_id}/messages")
async def list_messages(request: web.Request) -> web.Response:
    state = request.app[CTX].state
    ref = resolve_chat(request)
    sort = query_choice(request, "sort", ("asc", "desc"), "desc")
    direction = query_choice(request, "direction", ("inbound", "outbound"), None)
    since = query_int(request, "since", 0, 0, 2**62)
    until = query_int(request, "until", 2**62, 0, 2**62)
    msgs = [
        m
        for m in state.chat_messages(ref.chat_id)
        if (direction is None or m.direction == direction) and since < m.time_sent < until
    ]
    if sort == "desc":
        msgs.reverse()
    page, pagination = paginate(request, msgs)
    return web.json_response(
        {
            "chat_id": ref.chat_id,
            "messages": [wire.message_json(m) for m in page],
            "pagination": pagination,
        }
    )


@routes.get("/chats/{chat_id}/messages/{message_id}")
async def get_message(request: web.Request) -> web.Response:
    state = request.app[CTX].state
    ref = resolve_chat(request)
    m = find_message(state, ref.chat_id, request.match_info["message_id"])
    return web.json_response(wire.message_detail_json(state, m))


@routes.get("/chats/{chat_id}/messages/{message_id}/status")
async def message_status(request: web.Request) -> web.Response:
    ref = resolve_chat(request)
    m = find_message(request.app[CTX].state, ref.chat_id, request.match_info["message_id"])
    return web.json_response(wire.status_json(m))


def _parse_reaction(value: Any) -> tuple[str, str]:
    """`+love` → ("love", "add"); `-👍` → ("👍", "remove"); anything else is a 400."""
    if isinstance(value, str) and len(value) >= 2 and value[0] in "+-":
        name = value[1:]
        if name in TAPBACKS or (len(name) <= 8 and all(ord(ch) > 0x2000 for ch in name)):
            return name, "add" if value[0] == "+" else "remove"
    raise ApiFailure(
        400,
        f"Invalid reaction {json.dumps(value)}: use + or - followed by one of "
        f"{', '.join(TAPBACKS)} or an emoji (e.g. +love, -like, +👍).",
    )


@routes.post("/chats/{chat_id}/messages/{message_id}/reactions")
async def react(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    ref = resolve_chat(request)
    body = await read_json(request)
    name, action = _parse_reaction(body.get("reaction"))
    direction = _direction(body.get("direction"))
    m = find_message(ctx.state, ref.chat_id, request.match_info["message_id"], direction)
    m.reactions.append(
        {"reaction": name, "is_added": action == "add", "time_sent": now_ms(), "sender": None}
    )
    ctx.touch()
    return web.json_response(
        {"success": True, "message_id": m.message_id, "reaction": name, "action": action}
    )


def _direction(value: Any) -> str | None:
    if value is None:
        return None
    if value in ("inbound", "outbound"):
        return str(value)
    raise ApiFailure(400, "'direction' must be 'inbound' or 'outbound'.")
