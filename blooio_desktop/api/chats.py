"""Chat endpoints: list/search and read chats, typing indicators, and marking a chat read."""

from __future__ import annotations

from collections.abc import AsyncIterator

from blooio_desktop.api import schemas
from blooio_desktop.api.pagination import paginate
from blooio_desktop.api.params import build_path, choice, page_params, query, require_id
from blooio_desktop.api.resource import Resource
from blooio_desktop.core.models import Chat, Page

CHAT_SORTS = ("recent", "oldest")


class ChatsApi(Resource):
    async def list_chats(
        self, q: str | None = None, sort: str | None = None, limit: int = 50, offset: int = 0
    ) -> Page[Chat]:
        params = query(
            q=q or None, sort=choice(sort, CHAT_SORTS, "sort"), **page_params(limit, offset)
        )
        data = await self._call("GET", build_path("chats"), params=params)
        return schemas.parse_page(data, "chats", schemas.parse_chat, limit=limit, offset=offset)

    def iter_chats(
        self, q: str | None = None, sort: str | None = None, page_size: int = 50
    ) -> AsyncIterator[Chat]:
        return paginate(
            lambda limit, offset: self.list_chats(q, sort, limit, offset), page_size=page_size
        )

    async def get_chat(self, chat_id: str) -> Chat:
        data = await self._call("GET", build_path("chats", require_id(chat_id, "chat")))
        return schemas.parse_chat(data)

    async def start_typing(self, chat_id: str) -> str | None:
        """Show "typing…" in the chat. Returns the server's warning (e.g. RCS cannot show it), if any."""
        path = build_path("chats", require_id(chat_id, "chat"), "typing")
        return schemas.parse_warning(await self._call("POST", path, replay_safe=True))

    async def stop_typing(self, chat_id: str) -> str | None:
        path = build_path("chats", require_id(chat_id, "chat"), "typing")
        return schemas.parse_warning(await self._call("DELETE", path))

    async def mark_read(self, chat_id: str) -> int:
        """Mark every message in the chat read (sends a read receipt); returns `marked_at` in ms."""
        path = build_path("chats", require_id(chat_id, "chat"), "read")
        data = await self._call("POST", path, replay_safe=True)
        return schemas.parse_timestamp(data, "marked_at") or 0
