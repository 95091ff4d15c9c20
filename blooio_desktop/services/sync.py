"""First-start sync and backfill: the store catches up with the server without blocking the loop.

Initial sync pages through chats, most recent first, storing each page of chats and then the newest
`history_limit` messages of each, publishing `SyncProgress` as it goes and yielding to the loop
between requests.

Backfill (every start and every reconnect) uses a watermark: the newest chat activity seen at the last
sync. Chats are listed most recent first until one is older than the watermark (minus an overlap);
each chat above it is fetched from its last stored message time (`since`), or its recent history
when it is new. Messages are deduplicated by id, so the overlap costs nothing but a few bytes.

Runs never overlap (app start and a reconnect may ask at the same moment): a second caller waits for
the first, then runs with the watermark it left, which makes the second run cheap.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Sequence

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.pagination import is_last_page
from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import Chat, Message
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.events import BackfillReport, SyncProgress
from blooio_desktop.store import ChatRepository, Database, MessageRepository, MetaRepository

WATERMARK_KEY = "sync.watermark_ms"
CHAT_PAGE = 50


class SyncService:
    def __init__(
        self,
        client: BlooioClient,
        db: Database,
        bus: EventBus,
        *,
        history_limit: int = 200,
        overlap_ms: int = 60_000,
    ) -> None:
        self._client = client
        self._db = db
        self._bus = bus
        self._history_limit = history_limit
        self._overlap_ms = overlap_ms
        self._running = asyncio.Lock()

    @property
    def has_synced(self) -> bool:
        return MetaRepository(self._db.read()).get(WATERMARK_KEY) is not None

    async def start(self) -> int:
        """What to run at every app start: the initial sync the first time, a backfill afterwards."""
        async with self._exclusive():
            if not self.has_synced:
                return await self._initial_sync()
            return await self._backfill()

    async def initial_sync(self) -> int:
        """Download chats and their recent history; returns how many messages were stored."""
        async with self._exclusive():
            return await self._initial_sync()

    async def backfill(self) -> int:
        """Fetch what arrived while we were away; returns the count and publishes a BackfillReport."""
        async with self._exclusive():
            return await self._backfill()

    @contextlib.asynccontextmanager
    async def _exclusive(self) -> AsyncIterator[None]:
        """One sync at a time; and "done" is always published, so a progress bar never spins on
        after a failure (offline, read-only store)."""
        async with self._running:
            try:
                yield
            finally:
                self._bus.publish(SyncProgress(0, 0, "done"))

    async def _initial_sync(self) -> int:
        stored = 0
        done = 0
        watermark = 0
        offset = 0
        self._bus.publish(SyncProgress(0, None, "chats"))
        while True:
            page = await self._client.list_chats(sort="recent", limit=CHAT_PAGE, offset=offset)
            await self._save(list(page.items), [], read_up_to_date=False)
            self._bus.publish(SyncProgress(done, page.total, "chats"))
            for chat in page.items:
                history = await self._client.list_messages(
                    chat.id, limit=self._history_limit, sort="desc"
                )
                changes = await self._save([chat], list(history.items), read_up_to_date=True)
                stored += len(changes.inserted_messages)
                watermark = max(watermark, chat.last_message_time or 0)
                done += 1
                self._bus.publish(SyncProgress(done, page.total, "history"))
                await asyncio.sleep(0)
            if is_last_page(page, requested=CHAT_PAGE):
                break
            offset += len(page.items)
        await self._set_watermark(watermark)
        return stored

    async def _backfill(self) -> int:
        raw = MetaRepository(self._db.read()).get(WATERMARK_KEY)
        if raw is None:
            count = await self._initial_sync()
            self._bus.publish(BackfillReport(count, ()))
            return count
        watermark = int(raw)
        threshold = watermark - self._overlap_ms
        count = 0
        touched: list[str] = []
        offset = 0
        newest = watermark
        while True:
            page = await self._client.list_chats(sort="recent", limit=CHAT_PAGE, offset=offset)
            fresh = [c for c in page.items if (c.last_message_time or 0) > threshold]
            for chat in fresh:
                inserted = await self._catch_up(chat)
                if inserted:
                    count += inserted
                    touched.append(chat.id)
                newest = max(newest, chat.last_message_time or 0)
                self._bus.publish(SyncProgress(len(touched), None, "backfill"))
                await asyncio.sleep(0)
            if len(fresh) < len(page.items) or is_last_page(page, requested=CHAT_PAGE):
                break
            offset += len(page.items)
        await self._set_watermark(newest)
        self._bus.publish(BackfillReport(count, tuple(touched)))
        return count

    async def _catch_up(self, chat: Chat) -> int:
        since = MessageRepository(self._db.read()).last_server_time(chat.id)
        if since is None:
            page = await self._client.list_messages(chat.id, limit=self._history_limit, sort="desc")
            messages = list(page.items)
        else:
            start = max(0, since - self._overlap_ms)
            messages = [
                m async for m in self._client.iter_messages(chat.id, since=start, page_size=200)
            ]
        changes = await self._save([chat], messages, read_up_to_date=False)
        return len(changes.inserted_messages)

    async def _save(
        self, chats: Sequence[Chat], messages: Sequence[Message], *, read_up_to_date: bool
    ) -> Changes:
        """One transaction per chat; `read_up_to_date` marks synced history as already read."""

        def write(conn: sqlite3.Connection) -> Changes:
            changes = ChatRepository(conn).upsert(chats)
            changes = changes.merge(MessageRepository(conn).upsert(messages))
            if read_up_to_date:
                for chat in chats:
                    ChatRepository(conn).mark_read(chat.id)
            return changes

        changes = await self._db.write(write)
        if not changes.empty:
            self._bus.publish(changes)
        return changes

    async def _set_watermark(self, value: int) -> None:
        await self._db.write(lambda conn: MetaRepository(conn).set(WATERMARK_KEY, str(value)))
