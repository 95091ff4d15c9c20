"""1,000 sends through 20 % injected faults → exactly 1,000 messages at the sandbox, store reconciled."""

from __future__ import annotations

import asyncio
from pathlib import Path

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.models import OutboxState
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.outbox import OutboxSender
from blooio_desktop.services.sync import SyncService
from blooio_desktop.store import Database, OutboxRepository
from tests.reliability.app_rig import FAST_RETRY
from tests.reliability.truth import comparable, comparable_truth, settled_truth, store_messages
from tests.support.sandbox import SandboxHandle

SENDS = 1000
CHATS = [f"+1555600{n:04d}" for n in range(10)]
EACH = 0.055  # four kinds: 1 - 0.945**4 ≈ 20 % of send requests hit a fault


async def test_a_thousand_sends_through_faults_exist_exactly_once(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    sandbox.set_faults(
        error_rate=EACH,
        rate_limit_rate=EACH,
        rate_limit_retry_after=1,
        reset_rate=EACH,
        accept_then_timeout_rate=EACH,
        hang_s=1.5,
        methods=["POST"],
        random_seed=3,
    )
    db = Database.open(app_home / "data" / "acct.sqlite3")
    bus = EventBus()
    async with BlooioClient(
        sandbox.api_key, sandbox.base_url, retry=FAST_RETRY, timeout=0.5
    ) as client:
        sender = OutboxSender(client, db, bus, retry=FAST_RETRY, concurrency=8)
        service = MessagingService(client, db, bus, sender=sender)
        await service.start()
        keys = [
            (await service.send(CHATS[i % len(CHATS)], f"message {i}")).idempotency_key
            for i in range(SENDS)
        ]
        await asyncio.wait_for(sender.drain(), 120)
        await service.stop()

        counters = sandbox.counters()
        assert set(counters["faults"]) >= {"error", "rate_limit", "reset", "accept_then_timeout"}
        assert sum(counters["faults"].values()) >= SENDS * 0.15
        assert counters["sends_by_key"] == {key: 1 for key in keys}
        assert counters["messages_created"] == SENDS
        items = OutboxRepository(db.read()).items()
        assert {i.state for i in items} == {OutboxState.SENT}
        assert len({i.server_message_id for i in items}) == SENDS

        # Reconcile to the final status: the sandbox is the truth, a sync brings its receipts.
        sandbox.set_faults()
        truth = await settled_truth(sandbox)
        await SyncService(client, db, bus, history_limit=200).initial_sync()
    stored = store_messages(db)
    db.close()
    assert len(truth) == SENDS
    assert set(stored) == set(truth)  # no optimistic leftovers, no duplicates
    assert {i: comparable(m) for i, m in stored.items()} == {
        i: comparable_truth(m, "sim_status") for i, m in truth.items()
    }
