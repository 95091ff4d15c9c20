"""`/_sandbox/` control endpoints (not part of Blooio's API): reset, faults, world, counters,
inject inbound messages / reactions / read receipts, and a dump of server truth."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from blooio_desktop.sandbox import wire
from blooio_desktop.sandbox.context import CTX
from blooio_desktop.sandbox.faults import FaultConfig
from blooio_desktop.sandbox.http import ApiFailure, body_handle, read_json
from blooio_desktop.sandbox.routes_messages import TAPBACKS, parse_attachment
from blooio_desktop.sandbox.state import NUMBERS, MessageRec

routes = web.RouteTableDef()


@routes.post("/reset")
async def reset(request: web.Request) -> web.Response:
    body = await read_json(request)
    request.app[CTX].reset(seed=bool(body.get("seed", False)))
    return web.json_response({"ok": True})


@routes.get("/faults")
async def get_faults(request: web.Request) -> web.Response:
    return web.json_response(request.app[CTX].faults.config.as_json())


@routes.put("/faults")
async def put_faults(request: web.Request) -> web.Response:
    faults = request.app[CTX].faults
    faults.configure(FaultConfig.from_json(await read_json(request)))
    return web.json_response(faults.config.as_json())


@routes.get("/world")
async def get_world(request: web.Request) -> web.Response:
    return web.json_response(request.app[CTX].world.settings.as_json())


@routes.put("/world")
async def put_world(request: web.Request) -> web.Response:
    settings = request.app[CTX].world.settings
    settings.update(await read_json(request))
    return web.json_response(settings.as_json())


@routes.get("/counters")
async def counters(request: web.Request) -> web.Response:
    return web.json_response(request.app[CTX].counters.as_json())


@routes.post("/inbound")
async def inbound(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    body = await read_json(request)
    sender = body_handle(body.get("from"), "from")
    text = body.get("text")
    if text is not None and not isinstance(text, str):
        raise ApiFailure(400, "'text' must be a string.")
    attachments = [parse_attachment(a) for a in body.get("attachments") or []]
    if not text and not attachments:
        raise ApiFailure(400, "An inbound message needs 'text' or 'attachments'.")
    to = body.get("to")
    if to is not None and to not in NUMBERS:
        raise ApiFailure(400, f"'to' must be one of the sandbox numbers ({', '.join(NUMBERS)}).")
    m = ctx.world.inbound(sender, text, attachments, to=to, group_id=body.get("group_id"))
    return web.json_response({"message_id": m.message_id, "chat_id": m.chat_id})


def _message(request: web.Request, body: dict[str, Any]) -> MessageRec:
    message_id = body.get("message_id")
    m = request.app[CTX].state.messages.get(message_id) if isinstance(message_id, str) else None
    if m is None:
        raise ApiFailure(404, f"Message '{message_id}' not found.")
    return m


@routes.post("/reaction")
async def reaction(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    body = await read_json(request)
    m = _message(request, body)
    name, action = body.get("reaction"), body.get("action", "add")
    if name not in TAPBACKS and not (isinstance(name, str) and name and ord(name[0]) > 0x2000):
        raise ApiFailure(400, f"'reaction' must be one of {', '.join(TAPBACKS)} or an emoji.")
    if action not in ("add", "remove"):
        raise ApiFailure(400, "'action' must be 'add' or 'remove'.")
    sender = body_handle(body.get("sender") or (m.sender or m.chat_id), "sender")
    ctx.world.react(m, name, sender, action)
    return web.json_response({"ok": True, "message_id": m.message_id})


@routes.post("/read")
async def read(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    m = _message(request, await read_json(request))
    if m.direction != "outbound":
        raise ApiFailure(400, "Only outbound messages can be read by the recipient.")
    ctx.world.mark_read(m)
    return web.json_response({"ok": True, "message_id": m.message_id, "status": m.status})


@routes.get("/state")
async def state(request: web.Request) -> web.Response:
    st = request.app[CTX].state
    messages = [
        {**wire.message_json(m), "chat_id": m.chat_id, "sim_status": m.status}
        for m in st.messages.values()
    ]
    return web.json_response(
        {
            "messages": messages,
            "chats": [wire.chat_json(st, cid, detail=True) for cid in st.chat_ids()],
            "webhooks": [wire.webhook_json(w) for w in st.webhooks.values()],
        }
    )
