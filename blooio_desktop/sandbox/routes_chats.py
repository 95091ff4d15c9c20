"""Chat routes (blooio-api.md §6.3, §6.6, §6.7, §9): list/get, read receipts, typing, backgrounds,
contact cards and polls."""

from __future__ import annotations

from aiohttp import web

from blooio_desktop.sandbox import wire
from blooio_desktop.sandbox.chats import resolve_chat
from blooio_desktop.sandbox.context import CTX
from blooio_desktop.sandbox.http import ApiFailure, paginate, query_choice, read_json, read_upload
from blooio_desktop.sandbox.state import new_id, now_ms

routes = web.RouteTableDef()


@routes.get("/chats")
async def list_chats(request: web.Request) -> web.Response:
    state = request.app[CTX].state
    sort = query_choice(request, "sort", ("recent", "oldest"), "recent")
    q = (request.query.get("q") or "").lower()
    items = [wire.chat_json(state, cid) for cid in state.chat_ids()]
    if q:
        items = [c for c in items if q in _searchable(c)]
    items.sort(key=lambda c: c["last_message_time"] or 0, reverse=sort == "recent")
    page, pagination = paginate(request, items)
    return web.json_response({"chats": page, "pagination": pagination})


def _searchable(chat: dict[str, object]) -> str:
    contact = chat.get("contact") or {}
    assert isinstance(contact, dict)
    return f"{chat['id']} {chat.get('group_name') or ''} {contact.get('name') or ''}".lower()


@routes.get("/chats/{chat_id}")
async def get_chat(request: web.Request) -> web.Response:
    ref = resolve_chat(request)
    return web.json_response(wire.chat_json(request.app[CTX].state, ref.chat_id, detail=True))


@routes.post("/chats/{chat_id}/read")
async def mark_read(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    ref = resolve_chat(request)
    at = now_ms()
    ctx.state.read_markers[ref.chat_id] = at
    ctx.touch()
    return web.json_response({"chat_id": ref.chat_id, "status": "read", "marked_at": at})


@routes.post("/chats/{chat_id}/contact-card")
async def share_contact_card(request: web.Request) -> web.Response:
    ref = resolve_chat(request, create=True)
    return web.json_response(
        {
            "success": True,
            "chat_id": ref.chat_id,
            "message": "Contact card will be shared with the next message.",
        }
    )


@routes.route("*", "/chats/{chat_id}/typing")
async def typing(request: web.Request) -> web.Response:
    if request.method not in ("POST", "DELETE"):
        raise ApiFailure(405, "Use POST to start and DELETE to stop the typing indicator.")
    ref = resolve_chat(request, create=True)
    start = request.method == "POST"
    body: dict[str, object] = {"chat_id": ref.chat_id, "typing": start}
    body["started_at" if start else "stopped_at"] = now_ms()
    if request.app[CTX].state.protocol_for(ref.chat_id) != "imessage":
        body["warning"] = "SMS chats do not support typing indicators."
    return web.json_response(body)


@routes.get("/chats/{chat_id}/background")
async def get_background(request: web.Request) -> web.Response:
    ref = resolve_chat(request)
    return web.json_response(_background(request, ref.chat_id))


@routes.put("/chats/{chat_id}/background")
async def set_background(request: web.Request) -> web.Response:
    ref = resolve_chat(request)
    data = await read_upload(request, "background")
    backgrounds = request.app[CTX].state.backgrounds
    version = backgrounds.get(ref.chat_id, {}).get("background_version", 0) + 1
    backgrounds[ref.chat_id] = {
        "background_id": new_id("bg_", 10),
        "background_version": version,
        "size": len(data),
    }
    request.app[CTX].touch()
    return web.json_response({**_background(request, ref.chat_id), "changed": True})


@routes.delete("/chats/{chat_id}/background")
async def delete_background(request: web.Request) -> web.Response:
    ref = resolve_chat(request)
    changed = request.app[CTX].state.backgrounds.pop(ref.chat_id, None) is not None
    request.app[CTX].touch()
    return web.json_response({**_background(request, ref.chat_id), "changed": changed})


def _background(request: web.Request, chat_id: str) -> dict[str, object]:
    bg = request.app[CTX].state.backgrounds.get(chat_id)
    return {
        "chat_id": chat_id,
        "has_background": bg is not None,
        "background_id": bg["background_id"] if bg else None,
        "background_version": bg["background_version"] if bg else None,
    }


@routes.post("/chats/{chat_id}/polls")
async def send_poll(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    ref = resolve_chat(request, create=True)
    body = await read_json(request)
    options = body.get("options")
    if (
        not isinstance(options, list)
        or not 2 <= len(options) <= 10
        or not all(isinstance(o, str) for o in options)
    ):
        raise ApiFailure(400, "'options' must be a list of 2 to 10 strings.")
    if ctx.state.protocol_for(ref.chat_id) != "imessage":
        raise ApiFailure(400, "Polls are only available in iMessage chats.")
    poll_id = new_id("poll_", 12)
    title = body.get("title")
    ctx.state.polls[poll_id] = {"chat_id": ref.chat_id, "title": title, "options": list(options)}
    ctx.touch()
    return web.json_response(
        {
            "poll_id": poll_id,
            "chat_id": ref.chat_id,
            "poll": {"title": title, "options": options},
            "sent_at": now_ms(),
        }
    )


@routes.get("/chats/{chat_id}/polls/{poll_id}")
async def poll_results(request: web.Request) -> web.Response:
    ref = resolve_chat(request)
    poll_id = request.match_info["poll_id"]
    poll = request.app[CTX].state.polls.get(poll_id)
    if poll is None or poll["chat_id"] != ref.chat_id:
        raise ApiFailure(404, f"Poll '{poll_id}' not found in chat '{ref.chat_id}'.")
    return web.json_response(
        {
            "poll_id": poll_id,
            "chat_id": ref.chat_id,
            "title": poll["title"],
            "options": [{"text": o, "votes": 0} for o in poll["options"]],
            "total_votes": 0,
        }
    )
