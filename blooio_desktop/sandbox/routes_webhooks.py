"""Webhook management routes (blooio-api.md §6.9): register, list, update, rotate, logs, replay."""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web

from blooio_desktop.sandbox import wire
from blooio_desktop.sandbox.context import CTX
from blooio_desktop.sandbox.http import ApiFailure, paginate, query_choice, query_int, read_json
from blooio_desktop.sandbox.state import WebhookRec, new_id, now_ms

routes = web.RouteTableDef()
TYPES = ("message", "status", "all")
MAX_WEBHOOKS = 64


def new_secret() -> str:
    return "whsec_" + secrets.token_hex(24)


def _webhook(request: web.Request) -> WebhookRec:
    webhook_id = request.match_info["webhook_id"]
    hook = request.app[CTX].state.webhooks.get(webhook_id)
    if hook is None:
        raise ApiFailure(404, f"Webhook '{webhook_id}' not found.")
    return hook


def _type(value: Any) -> str:
    if value not in TYPES:
        raise ApiFailure(400, f"'webhook_type' must be one of {', '.join(TYPES)}.")
    return str(value)


def _valid_until(value: Any) -> int:
    if value is None:
        return -1
    if not isinstance(value, int) or isinstance(value, bool) or (value < 0 and value != -1):
        raise ApiFailure(400, "'valid_until' must be a time in ms since epoch, or -1 for never.")
    return value


@routes.post("/webhooks")
async def create_webhook(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    body = await read_json(request)
    url = body.get("webhook_url")
    if (
        not isinstance(url, str)
        or (parts := urlsplit(url)).scheme not in ("http", "https")
        or not parts.netloc
    ):
        raise ApiFailure(400, "'webhook_url' must be an absolute http(s) URL.")
    webhook_type = _type(body.get("webhook_type", "message"))
    valid_until = _valid_until(body.get("valid_until"))
    existing = next((w for w in ctx.state.webhooks.values() if w.webhook_url == url), None)
    if existing is not None:
        return web.json_response(_created(existing, "Webhook already exists for this URL."))
    if len(ctx.state.webhooks) >= MAX_WEBHOOKS:
        raise ApiFailure(
            409, f"Webhook limit reached ({MAX_WEBHOOKS} per organization).", limit=MAX_WEBHOOKS
        )
    hook = WebhookRec(new_id("wh_", 16), url, webhook_type, new_secret(), now_ms(), valid_until)
    ctx.state.webhooks[hook.webhook_id] = hook
    ctx.touch()
    return web.json_response(
        {**_created(hook, "Webhook created."), "signing_secret": hook.signing_secret}, status=201
    )


def _created(hook: WebhookRec, message: str) -> dict[str, Any]:
    return {
        "webhook_id": hook.webhook_id,
        "webhook_url": hook.webhook_url,
        "webhook_type": hook.webhook_type,
        "scope": "api_key",
        "message": message,
        "created_at": hook.created_at,
    }


@routes.get("/webhooks")
async def list_webhooks(request: web.Request) -> web.Response:
    hooks = request.app[CTX].state.webhooks.values()
    return web.json_response({"webhooks": [wire.webhook_json(w) for w in hooks]})


@routes.get("/webhooks/{webhook_id}")
async def get_webhook(request: web.Request) -> web.Response:
    return web.json_response(wire.webhook_json(_webhook(request)))


@routes.patch("/webhooks/{webhook_id}")
async def update_webhook(request: web.Request) -> web.Response:
    hook = _webhook(request)
    body = await read_json(request)
    if "webhook_type" in body:
        hook.webhook_type = _type(body["webhook_type"])
    if "valid_until" in body:
        hook.valid_until = _valid_until(body["valid_until"])
    if "deprecate" in body:
        if not isinstance(body["deprecate"], bool):
            raise ApiFailure(400, "'deprecate' must be true or false.")
        hook.deprecated_at = now_ms() if body["deprecate"] else None
    request.app[CTX].touch()
    return web.json_response(wire.webhook_json(hook))


@routes.delete("/webhooks/{webhook_id}")
async def delete_webhook(request: web.Request) -> web.Response:
    hook = _webhook(request)
    del request.app[CTX].state.webhooks[hook.webhook_id]
    request.app[CTX].touch()
    return web.json_response({"success": True, "message": "Webhook deleted."})


@routes.post("/webhooks/{webhook_id}/secret/rotate")
async def rotate_secret(request: web.Request) -> web.Response:
    hook = _webhook(request)
    hook.signing_secret = new_secret()
    hook.rotation_count += 1
    request.app[CTX].touch()
    return web.json_response(
        {
            "webhook_id": hook.webhook_id,
            "signing_secret": hook.signing_secret,
            "rotated_at": now_ms(),
            "rotated_by": "api_key",
            "rotation_count": hook.rotation_count,
        }
    )


@routes.get("/webhooks/{webhook_id}/logs")
async def list_logs(request: web.Request) -> web.Response:
    hook = _webhook(request)
    sort = query_choice(request, "sort", ("asc", "desc"), "desc")
    exact = query_int(request, "status", 0, 100, 599) if request.query.get("status") else None
    low = query_int(request, "min_status", 0, 0, 599)
    high = query_int(request, "max_status", 599, 0, 599)
    logs = [
        log
        for log in hook.logs
        if (exact is None or log["response_status"] == exact)
        and low <= (log["response_status"] or 0) <= high
    ]
    if sort == "desc":
        logs.reverse()
    page, pagination = paginate(request, logs)
    pagination |= {
        "returned": len(page),
        "has_more": pagination["offset"] + len(page) < pagination["total"],
    }
    return web.json_response({"logs": page, "pagination": pagination})


@routes.post("/webhooks/{webhook_id}/logs/{event_id}/replay")
async def replay(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    hook = _webhook(request)
    event_id = request.match_info["event_id"]
    original = next((log for log in hook.logs if log["event_id"] == event_id), None)
    if original is None:
        raise ApiFailure(404, f"Event '{event_id}' not found in this webhook's logs.")
    log = await ctx.delivery.attempt(hook, original["event_body"], original_event_id=event_id)
    meta = log["metadata"]
    ctx.touch()
    return web.json_response(
        {
            "success": meta["success"],
            "replay_event_id": log["event_id"],
            "original_event_id": event_id,
            "webhook_id": hook.webhook_id,
            "webhook_url": hook.webhook_url,
            "response_status": log["response_status"],
            "duration_ms": meta["duration_ms"],
            "response_data": {
                "body": log["response_json"]
                if log["response_json"] is not None
                else meta["response_body"],
                "contentType": meta["content_type"],
                "duration": meta["duration_ms"],
                "error": meta["error"],
                "errorType": "connection" if meta["error"] else None,
                "headers": {},
                "size": len(meta["response_body"]),
            },
        }
    )
