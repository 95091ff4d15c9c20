"""Group routes (blooio-api.md §6.8): CRUD, members (adding/removing is "coming soon"), icons."""

from __future__ import annotations

from aiohttp import web

from blooio_desktop.sandbox import wire
from blooio_desktop.sandbox.context import CTX
from blooio_desktop.sandbox.http import (
    ApiFailure,
    body_handle,
    coming_soon,
    directory_page,
    paginate,
    read_json,
    read_upload,
)
from blooio_desktop.sandbox.state import GroupRec, new_id, now_ms

routes = web.RouteTableDef()


def _group(request: web.Request) -> GroupRec:
    group_id = request.match_info["group_id"]
    group = request.app[CTX].state.group(group_id)
    if group is None:
        raise ApiFailure(404, f"Group '{group_id}' not found.")
    return group


def _name(body: dict[str, object], *, required: bool) -> str | None:
    name = body.get("name")
    if name is None and not required:
        return None
    if not isinstance(name, str) or not name.strip() or len(name) > 255:
        raise ApiFailure(400, "'name' is required: a non-empty string of at most 255 characters.")
    return name.strip()


@routes.get("/groups")
async def list_groups(request: web.Request) -> web.Response:
    state = request.app[CTX].state
    q = (request.query.get("q") or "").lower()
    items = [
        wire.group_json(state, g)
        for g in state.groups.values()
        if g.deleted_at is None and q in (g.name or "").lower()
    ]
    return directory_page(request, "groups", items, lambda g: g["name"] or "")


@routes.post("/groups")
async def create_group(request: web.Request) -> web.Response:
    ctx = request.app[CTX]
    body = await read_json(request)
    name = _name(body, required=True)
    members = body.get("members") or []
    if not isinstance(members, list):
        raise ApiFailure(400, "'members' must be a list of phone numbers or emails.")
    handles = list(dict.fromkeys(body_handle(m, "members[]") for m in members))
    chat_guid = body.get("chat_guid")
    if chat_guid is None and handles:
        clash = next(
            (
                g
                for g in ctx.state.groups.values()
                if g.deleted_at is None and set(g.members) == set(handles)
            ),
            None,
        )
        if clash is not None:
            raise ApiFailure(
                409,
                "A group with exactly these participants already exists.",
                group_id=clash.group_id,
            )
    new_contacts = [h for h in handles if ctx.state.contact(h) is None]
    group = ctx.state.create_group(
        name, handles, chat_guid or f"iMessage;+;chat{new_id(length=12)}"
    )
    ctx.touch()
    body_out = {
        **wire.group_json(ctx.state, group),
        "added_members": handles,
        "created_contacts": new_contacts,
    }
    return web.json_response(body_out, status=201)


@routes.get("/groups/{group_id}")
async def get_group(request: web.Request) -> web.Response:
    return web.json_response(wire.group_json(request.app[CTX].state, _group(request)))


@routes.patch("/groups/{group_id}")
async def rename_group(request: web.Request) -> web.Response:
    group = _group(request)
    group.name = _name(await read_json(request), required=True)
    request.app[CTX].touch()
    sync = {"action": None, "chat_guid": group.chat_guid, "synced": True, "error": None}
    return web.json_response(
        {**wire.group_json(request.app[CTX].state, group), "device_sync": sync}
    )


@routes.delete("/groups/{group_id}")
async def delete_group(request: web.Request) -> web.Response:
    group = _group(request)
    group.deleted_at = now_ms()
    request.app[CTX].touch()
    return web.json_response({"success": True, "deleted_at": group.deleted_at})


@routes.get("/groups/{group_id}/members")
async def list_members(request: web.Request) -> web.Response:
    state = request.app[CTX].state
    group = _group(request)
    members = [wire.member_json(state, h, at) for h, at in group.members.items()]
    page, pagination = paginate(request, members)
    return web.json_response(
        {
            "group_id": group.group_id,
            "group_name": group.name,
            "icon_url": group.icon_url,
            "members": page,
            "pagination": pagination,
        }
    )


@routes.post("/groups/{group_id}/members")
@routes.delete("/groups/{group_id}/members/{contact_id}")
async def change_members(request: web.Request) -> web.Response:
    _group(request)
    raise coming_soon("Adding and removing group members")


@routes.post("/groups/{group_id}/icon")
async def set_icon(request: web.Request) -> web.Response:
    group = _group(request)
    await read_upload(request, "icon")
    group.icon_url = (
        f"https://media.blooio.com/sandbox/icons/{group.group_id}-{new_id(length=6)}.png"
    )
    request.app[CTX].touch()
    return web.json_response(_icon(group, "Group icon updated."))


@routes.delete("/groups/{group_id}/icon")
async def delete_icon(request: web.Request) -> web.Response:
    group = _group(request)
    group.icon_url = None
    request.app[CTX].touch()
    return web.json_response(_icon(group, "Group icon removed."))


def _icon(group: GroupRec, message: str) -> dict[str, object]:
    return {
        "success": True,
        "group_id": group.group_id,
        "chat_guid": group.chat_guid,
        "icon_url": group.icon_url,
        "message": message,
        "device_sync": {"chat_guid": group.chat_guid, "synced": True, "message": message},
    }
