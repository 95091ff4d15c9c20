"""Group endpoints: list, create, read, rename, delete; members; the group icon."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from blooio_desktop.api import bodies, schemas
from blooio_desktop.api.pagination import paginate
from blooio_desktop.api.params import build_path, choice, page_params, query, require_id
from blooio_desktop.api.resource import Resource
from blooio_desktop.api.wire import obj
from blooio_desktop.core.identifiers import normalize_handle
from blooio_desktop.core.models import Group, GroupMember, Page

GROUP_SORTS = ("recent", "oldest", "name_asc", "name_desc")


class GroupsApi(Resource):
    async def list_groups(
        self, q: str | None = None, sort: str | None = None, limit: int = 50, offset: int = 0
    ) -> Page[Group]:
        params = query(
            q=q or None, sort=choice(sort, GROUP_SORTS, "sort"), **page_params(limit, offset)
        )
        data = await self._call("GET", build_path("groups"), params=params)
        return schemas.parse_page(data, "groups", schemas.parse_group, limit=limit, offset=offset)

    def iter_groups(
        self, q: str | None = None, sort: str | None = None, page_size: int = 50
    ) -> AsyncIterator[Group]:
        return paginate(
            lambda limit, offset: self.list_groups(q, sort, limit, offset), page_size=page_size
        )

    async def create_group(
        self, name: str, members: Sequence[str] = (), chat_guid: str | None = None
    ) -> Group:
        """New group (an iMessage chat is created on first send), or a link to one via `chat_guid`."""
        body = bodies.group_body(name, members, chat_guid)
        return schemas.parse_group(await self._call("POST", build_path("groups"), json_body=body))

    async def get_group(self, group_id: str) -> Group:
        return schemas.parse_group(
            await self._call("GET", build_path("groups", require_id(group_id, "group")))
        )

    async def rename_group(self, group_id: str, name: str) -> Group:
        body = {"name": bodies.group_name(name)}
        path = build_path("groups", require_id(group_id, "group"))
        return schemas.parse_group(await self._call("PATCH", path, json_body=body))

    async def delete_group(self, group_id: str) -> None:
        await self._call("DELETE", build_path("groups", require_id(group_id, "group")))

    async def list_members(
        self, group_id: str, limit: int = 50, offset: int = 0
    ) -> Page[GroupMember]:
        path = build_path("groups", require_id(group_id, "group"), "members")
        data = await self._call("GET", path, params=page_params(limit, offset))
        return schemas.parse_page(data, "members", schemas.parse_member, limit=limit, offset=offset)

    def iter_members(self, group_id: str, page_size: int = 50) -> AsyncIterator[GroupMember]:
        return paginate(
            lambda limit, offset: self.list_members(group_id, limit, offset), page_size=page_size
        )

    async def add_member(self, group_id: str, identifier: str) -> GroupMember:
        """POST /groups/{id}/members — Blooio answers 501 ("coming soon") until it is enabled."""
        handle = normalize_handle(identifier)
        path = build_path("groups", require_id(group_id, "group"), "members")
        data = await self._call("POST", path, json_body={"contact_id": handle})
        return schemas.parse_member(obj(data.get("member")) or {"identifier": handle})

    async def remove_member(self, group_id: str, identifier: str) -> None:
        path = build_path(
            "groups", require_id(group_id, "group"), "members", require_id(identifier, "member")
        )
        await self._call("DELETE", path)

    async def set_group_icon(
        self, group_id: str, data: bytes, filename: str, content_type: str
    ) -> str | None:
        """Upload the icon (multipart field `icon`); returns its URL when the server gives one."""
        files = bodies.icon_file(data, filename, content_type)
        path = build_path("groups", require_id(group_id, "group"), "icon")
        return schemas.parse_icon_url(await self._call("POST", path, files=files, replay_safe=True))

    async def delete_group_icon(self, group_id: str) -> None:
        await self._call("DELETE", build_path("groups", require_id(group_id, "group"), "icon"))
