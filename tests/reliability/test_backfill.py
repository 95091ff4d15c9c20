"""Listener down while messages arrive: after a restart they are all in the store, and reported."""

from __future__ import annotations

import socket
from pathlib import Path

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.events import BackfillReport
from blooio_desktop.services.sync import SyncService
from blooio_desktop.store import ChatRepository, Database, MessageRepository
from tests.reliability.app_rig import FAST_RETRY
from tests.support.sandbox import SandboxHandle
from tests.support.waiting import wait_until

KNOWN = [f"+1555900{n:04d}" for n in range(3)]


def _dead_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_messages_sent_while_the_listener_was_down_are_backfilled_and_reported(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    db_path = app_home / "data" / "acct.sqlite3"
    for handle in KNOWN:
        sandbox.control("POST", "inbound", {"from": handle, "text": "before the outage"})
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=FAST_RETRY) as client:
        db = Database.open(db_path)
        await SyncService(client, db, EventBus()).start()
        db.close()

        # The app is closed and its webhook endpoint is gone; the world goes on.
        await client.create_webhook(f"http://127.0.0.1:{_dead_port()}/hook", "all")
        missed = [
            sandbox.control("POST", "inbound", {"from": KNOWN[n % 3], "text": f"missed {n}"})[
                "message_id"
            ]
            for n in range(24)
        ]
        missed.append(
            sandbox.control("POST", "inbound", {"from": "+15559009999", "text": "new here"})[
                "message_id"
            ]
        )
        await wait_until(
            lambda: sandbox.counters()["webhooks"]["failed"] >= 1, 10, "a failed webhook delivery"
        )

        db = Database.open(db_path)  # restart
        bus = EventBus()
        reports: list[BackfillReport] = []
        bus.subscribe(BackfillReport, reports.append)
        count = await SyncService(client, db, bus).start()
    stored = MessageRepository(db.read()).existing(missed)
    unread = sum(i.unread_count for i in ChatRepository(db.read()).list_chat_items())
    db.close()
    assert count == len(missed) == 25
    assert stored == set(missed)
    assert reports == [BackfillReport(25, reports[0].chats)]
    assert set(reports[0].chats) == {*KNOWN, "+15559009999"}
    assert reports[0].summary == "25 messages backfilled"
    assert unread == 25
