"""Contact routes (blooio-api.md §6.2): CRUD with soft delete, capabilities and tags."""

from __future__ import annotations

from aiohttp import web

from blooio_desktop.sandbox import wire
from blooio_desktop.sandbox.context import CTX
from blooio_desktop.sandbox.http import (
    ApiFailure,
    body_handle,
    directory_page,
    path_handle,
    read_json,
)
from blooio_desktop.sandbox.state import ContactRec, SandboxState, now_ms

routes = web.RouteTableDef()


def _existing(request: web.Request) -> tuple[SandboxState, ContactRec]:
    state = request.app[CTX].state
    handle = path_handle(request)
    contact = state.contact(handle)
    if contact is None:
        raise ApiFailure(404, f"Contact '{handle}' not found.")
    return state, contact


def _name(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ApiFailure(400, "'name' must be a string or null.")
    return value.strip() or None if isinstance(value, str) else None


@routes.get("/contacts")
async def list_contacts(request: web.Request) -> web.Response:
    state = request.app[CTX].state
    q = (request.query.get("q") or "").lower()
    items = [
        wire.contact_json(c, state)
        for c in state.contacts.values()
        if c.deleted_at is None and (q in c.identifier.lower() or q in (c.name or "").lower())
    ]
    return directory_page(request, "contacts", items, lambda c: c["name"] or c["identifier"])


@routes.post("/contacts")
async def create_contact(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    body = await read_json(request)
    handle = body_handle(body.get("identifier"), "identifier")
    name = _name(body.get("name"))
    existing = ctx.state.contact(handle)
    if existing is not None:
        raise ApiFailure(
            409,
            f"Contact '{handle}' already exists.",
            contact=wire.contact_json(existing, ctx.state),
        )
    contact = ctx.state.ensure_contact(handle, name)
    contact.name = name
    contact.created_at = now_ms()
    ctx.touch()
    return web.json_response(wire.contact_json(contact, ctx.state), status=201)


@routes.get("/contacts/{contact_id}")
async def get_contact(request: web.Request) -> web.Response:
    state, contact = _existing(request)
    return web.json_response(wire.contact_json(contact, state))


@routes.patch("/contacts/{contact_id}")
async def update_contact(request: web.Request) -> web.Response:
    state, contact = _existing(request)
    body = await read_json(request)
    if "name" not in body:
        raise ApiFailure(400, "'name' is required (a string, or null to clear it).")
    contact.name = _name(body["name"])
    request.app[CTX].touch()
    return web.json_response(wire.contact_json(contact, state))


@routes.delete("/contacts/{contact_id}")
async def delete_contact(request: web.Request) -> web.Response:
    _, contact = _existing(request)
    contact.deleted_at = now_ms()
    request.app[CTX].touch()
    return web.json_response({"success": True, "deleted_at": contact.deleted_at})


@routes.get("/contacts/{contact_id}/capabilities")
async def capabilities(request: web.Request) -> web.Response:
    return web.json_response(wire.capabilities_json(request.app[CTX].state, path_handle(request)))


@routes.get("/contacts/{contact_id}/tags")
async def list_tags(request: web.Request) -> web.Response:
    _, contact = _existing(request)
    tags = [{"tag": t, "created_at": at} for t, at in sorted(contact.tags.items())]
    return web.json_response({"tags": tags})


@routes.post("/contacts/{contact_id}/tags")
async def add_tags(request: web.Request) -> web.Response:
    _, contact = _existing(request)
    tags = (await read_json(request)).get("tags")
    if (
        not isinstance(tags, list)
        or not tags
        or not all(isinstance(t, str) and t.strip() for t in tags)
    ):
        raise ApiFailure(400, "'tags' must be a non-empty list of non-empty strings.")
    added = [t.strip() for t in tags]
    for tag in added:
        contact.tags.setdefault(tag, now_ms())
    request.app[CTX].touch()
    return web.json_response({"success": True, "tags_added": added})


@routes.delete("/contacts/{contact_id}/tags/{tag}")
async def delete_tag(request: web.Request) -> web.Response:
    _, contact = _existing(request)
    tag = request.match_info["tag"]
    if contact.tags.pop(tag, None) is None:
        raise ApiFailure(404, f"Contact has no tag '{tag}'.")
    request.app[CTX].touch()
    return web.json_response({"success": True, "deleted_at": now_ms()})
