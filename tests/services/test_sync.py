"""SyncService against a sandbox: first-start download with progress, backfill after downtime."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.errors import ConnectionFailed
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.events import BackfillReport, SyncProgress
from blooio_desktop.services.sync import SyncService
from blooio_desktop.store import ChatRepository, Database, MessageRepository
from tests.support.sandbox import SandboxHandle


@dataclass
class Rig:
    db: Database
    sync: SyncService
    events: list[object] = field(default_factory=list)


@pytest.fixture
async def rig(sandbox: SandboxHandle, app_home: Path) -> AsyncIterator[Rig]:
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    db = Database.open(app_home / "data" / "acct.sqlite3")
    bus = EventBus()
    async with BlooioClient(sandbox.api_key, sandbox.base_url) as client:
        rig = Rig(db, SyncService(client, db, bus, history_limit=5))
        bus.subscribe(SyncProgress, rig.events.append)
        bus.subscribe(BackfillReport, rig.events.append)
        yield rig
    db.close()


def _inbound(sandbox: SandboxHandle, sender: str, text: str) -> str:
    return str(sandbox.control("POST", "inbound", {"from": sender, "text": text})["message_id"])


async def test_first_start_downloads_recent_chats_and_history_with_progress(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    for n in range(3):
        for i in range(7):
            _inbound(sandbox, f"+1555888000{n}", f"chat {n} message {i}")
    stored = await rig.sync.start()
    assert stored == 3 * 5  # history_limit newest per chat
    items = ChatRepository(rig.db.read()).list_chat_items()
    assert [i.chat.id for i in items] == ["+15558880002", "+15558880001", "+15558880000"]
    assert all(i.unread_count == 0 for i in items)  # history is not news
    newest = MessageRepository(rig.db.read()).page("+15558880002", limit=1)
    assert newest[0].text == "chat 2 message 6"
    progress = [e for e in rig.events if isinstance(e, SyncProgress)]
    history = [(p.done, p.total) for p in progress if p.phase == "history"]
    assert history == [(1, 3), (2, 3), (3, 3)]
    assert progress[-1].phase == "done"


async def test_backfill_brings_what_arrived_while_away_and_reports_it(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    _inbound(sandbox, "+15558880000", "before")
    await rig.sync.start()
    rig.events.clear()
    missed = [_inbound(sandbox, "+15558880000", f"while away {i}") for i in range(3)]
    missed.append(_inbound(sandbox, "+15558880009", "a brand new chat"))
    await asyncio.sleep(0.01)

    count = await rig.sync.start()  # every later start is a backfill
    assert count == 4
    assert MessageRepository(rig.db.read()).existing(missed) == set(missed)
    [report] = [e for e in rig.events if isinstance(e, BackfillReport)]
    assert report.count == 4 and set(report.chats) == {"+15558880000", "+15558880009"}
    assert report.summary == "4 messages backfilled"
    unread = {i.chat.id: i.unread_count for i in ChatRepository(rig.db.read()).list_chat_items()}
    assert unread == {"+15558880000": 3, "+15558880009": 1}

    assert await rig.sync.backfill() == 0  # nothing new: nothing counted twice


async def test_a_failed_sync_still_ends_its_progress(app_home: Path) -> None:
    db = Database.open(app_home / "data" / "offline.sqlite3")
    bus = EventBus()
    progress: list[SyncProgress] = []
    bus.subscribe(SyncProgress, progress.append)
    # Nothing listens on port 9 of this machine: the first request fails.
    async with BlooioClient("key", "http://127.0.0.1:9/v2/api", timeout=2) as client:
        with pytest.raises(ConnectionFailed):
            await SyncService(client, db, bus).start()
    db.close()
    assert progress[-1].phase == "done"  # the status bar's progress bar closes
