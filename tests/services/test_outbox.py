"""OutboxSender: bounded concurrency, retryable errors wait and survive restarts, same key every time."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import blooio_desktop.services.outbox as outbox_module
from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.core.models import OutboxState
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.events import StoreFailure
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.outbox import OutboxSender
from blooio_desktop.store import Database, OutboxRepository
from tests.support.sandbox import SandboxHandle
from tests.support.waiting import wait_until

CHAT = "+15557770002"


def _retry(max_retries: int = 0, delay: float = 0.01) -> RetryPolicy:
    return RetryPolicy(
        max_retries=max_retries, base_delay=delay, max_delay=delay, max_retry_after=delay
    )


async def test_a_retryable_error_waits_persisted_and_a_restart_sends_with_the_same_key(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    sandbox.control("PUT", "world", {"bot": False})
    sandbox.set_faults(error_rate=1.0, error_statuses=[502], methods=["POST"])
    path = app_home / "data" / "acct.sqlite3"
    db = Database.open(path)
    bus = EventBus()
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=_retry()) as client:
        slow = _retry(delay=30.0)  # the second round is far away: the app "quits" before it
        service = MessagingService(
            client, db, bus, sender=OutboxSender(client, db, bus, retry=slow)
        )
        await service.start()
        item = await service.send(CHAT, "survive me")
        outbox = OutboxRepository(db.read())

        def waiting_for_next_round() -> bool:
            current = outbox.get(item.idempotency_key)
            return (
                current is not None
                and current.attempts == 1
                and current.state is OutboxState.PENDING
            )

        await wait_until(waiting_for_next_round)
        waiting = outbox.get(item.idempotency_key)
        assert waiting is not None and waiting.last_error and waiting.next_attempt_at
        await service.stop()
    db.close()

    sandbox.set_faults()
    db = Database.open(path)
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=_retry()) as client:
        sender = OutboxSender(
            client, db, bus, retry=_retry(), clock=lambda: 1e12
        )  # time has passed
        await sender.start()
        await asyncio.wait_for(sender.drain(), 10)
        await sender.stop()
    [sent] = OutboxRepository(db.read()).items()
    db.close()
    assert sent.state is OutboxState.SENT and sent.attempts == 2
    assert sandbox.counters()["sends_by_key"] == {item.idempotency_key: 1}


async def test_an_item_cut_off_mid_request_is_resent_with_its_key_and_not_duplicated(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    sandbox.control("PUT", "world", {"bot": False})
    sandbox.set_faults(accept_then_timeout_rate=1.0, hang_s=5, methods=["POST"])
    path = app_home / "data" / "acct.sqlite3"
    db = Database.open(path)
    bus = EventBus()
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=_retry()) as client:
        service = MessagingService(
            client, db, bus, sender=OutboxSender(client, db, bus, retry=_retry())
        )
        await service.start()
        item = await service.send(CHAT, "accepted, then the app died")
        await wait_until(lambda: sandbox.counters()["messages_created"] == 1)
        await service.stop()  # the response never came: the row is still `sending`
    cut_off = OutboxRepository(db.read()).get(item.idempotency_key)
    assert cut_off is not None and cut_off.state is OutboxState.SENDING

    sandbox.set_faults()
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=_retry()) as client:
        sender = OutboxSender(client, db, bus, retry=_retry())
        await sender.start()
        await asyncio.wait_for(sender.drain(), 10)
        await sender.stop()
    [sent] = OutboxRepository(db.read()).items()
    db.close()
    counters = sandbox.counters()
    assert sent.state is OutboxState.SENT
    assert counters["sends_by_key"] == {item.idempotency_key: 1}
    assert counters["idempotent_replays"] >= 1


async def test_no_more_than_the_concurrency_limit_is_in_flight(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    """Requests on the wire never exceed the limit, though the next items are claimed ahead."""
    sandbox.control("PUT", "world", {"bot": False})
    sandbox.set_faults(latency_ms=50, methods=["POST"])
    db = Database.open(app_home / "data" / "acct.sqlite3")
    bus = EventBus()
    in_flight = peak = 0
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=_retry()) as client:
        send_message = client.send_message

        async def counted(*args: Any, **kwargs: Any) -> Any:
            nonlocal in_flight, peak
            in_flight += 1
            peak = max(peak, in_flight)
            try:
                return await send_message(*args, **kwargs)
            finally:
                in_flight -= 1

        client.send_message = counted  # type: ignore[method-assign]
        service = MessagingService(
            client, db, bus, sender=OutboxSender(client, db, bus, concurrency=3)
        )
        await service.start()
        for i in range(12):
            await service.send(f"+155577702{i % 6:02d}", f"n{i}")  # six chats, two each
        await asyncio.wait_for(service.outbox.drain(), 20)
        await service.stop()
    states = {i.state for i in OutboxRepository(db.read()).items()}
    db.close()
    assert states == {OutboxState.SENT}
    assert peak == 3
    assert len(sandbox.counters()["sends_by_key"]) == 12


async def test_items_claimed_ahead_when_the_app_stops_are_sent_once_on_the_next_start(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    sandbox.control("PUT", "world", {"bot": False})
    sandbox.set_faults(latency_ms=200, methods=["POST"])
    db = Database.open(app_home / "data" / "acct.sqlite3")
    outbox = OutboxRepository(db.read())
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=_retry()) as client:
        first = MessagingService(
            client, db, EventBus(), sender=OutboxSender(client, db, EventBus(), concurrency=2)
        )
        for i in range(8):
            await first.send(f"+155577703{i:02d}", f"n{i}")  # queued before the sender starts
        await first.start()
        await wait_until(lambda: len(outbox.items([OutboxState.SENDING])) == 4)  # 2 sent, 2 ahead
        await first.stop()
        second = MessagingService(client, db, EventBus())
        await second.start()
        await asyncio.wait_for(second.outbox.drain(), 20)
        await second.stop()
    assert {i.state for i in outbox.items()} == {OutboxState.SENT}
    db.close()
    created = sandbox.control("GET", "state")["messages"]
    assert sorted(m["text"] for m in created) == [f"n{i}" for i in range(8)]  # each exactly once


async def test_an_outcome_the_store_refuses_does_not_keep_the_others_out(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    """If the store rejects one send's outcome, the others are still saved, the user is told, and the
    rejected item stays `sending`, to be resent by its key (so never duplicated) on the next start."""
    sandbox.control("PUT", "world", {"bot": False})
    db = Database.open(app_home / "data" / "acct.sqlite3")
    with db.transaction() as conn:  # a real SQLite refusal, for one item only
        conn.execute(
            "CREATE TRIGGER refuse_poison BEFORE UPDATE OF state ON outbox "
            "WHEN NEW.state = 'sent' AND OLD.text = 'poison' "
            "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END"
        )
    bus = EventBus()
    failures: list[StoreFailure] = []
    bus.subscribe(StoreFailure, failures.append)
    outbox = OutboxRepository(db.read())
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=_retry()) as client:
        service = MessagingService(client, db, bus)
        await service.start()
        texts = ("a", "b", "poison", "c", "d")  # one chat each: a chat's later sends wait in line
        items = [await service.send(f"+1555777010{n}", text) for n, text in enumerate(texts)]

        def states() -> list[OutboxState | None]:
            return [getattr(outbox.get(i.idempotency_key), "state", None) for i in items]

        await wait_until(lambda: states().count(OutboxState.SENT) == 4 and bool(failures))
        await service.stop()
    assert states() == [OutboxState.SENT] * 2 + [OutboxState.SENDING] + [OutboxState.SENT] * 2
    assert "refused by the test" in failures[0].error.message
    db.close()
    assert len(sandbox.counters()["sends_by_key"]) == 5


async def test_a_claim_the_store_refuses_is_tried_again_and_the_send_goes_out(
    sandbox: SandboxHandle, app_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full or locked disk while taking items to send: the user is told, and once the store
    accepts writes again the waiting message is sent without anything else waking the sender."""
    monkeypatch.setattr(outbox_module, "STORE_RETRY_S", 0.05)
    sandbox.control("PUT", "world", {"bot": False})
    db = Database.open(app_home / "data" / "acct.sqlite3")
    with db.transaction() as conn:  # refuses to mark anything `sending` while the flag is set
        conn.execute("INSERT INTO meta (key, value) VALUES ('refuse_claims', '1')")
        conn.execute(
            "CREATE TRIGGER refuse_claims BEFORE UPDATE OF state ON outbox "
            "WHEN NEW.state = 'sending' AND EXISTS (SELECT 1 FROM meta WHERE key = 'refuse_claims') "
            "BEGIN SELECT RAISE(ABORT, 'disk trouble (test)'); END"
        )
    bus = EventBus()
    failures: list[StoreFailure] = []
    bus.subscribe(StoreFailure, failures.append)
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=_retry()) as client:
        service = MessagingService(client, db, bus)
        item = await service.send(CHAT, "waits for the disk")  # queued before the sender starts
        await service.start()
        await wait_until(lambda: bool(failures))
        await db.write(lambda conn: conn.execute("DELETE FROM meta WHERE key = 'refuse_claims'"))
        outbox = OutboxRepository(db.read())
        await wait_until(
            lambda: getattr(outbox.get(item.idempotency_key), "state", None) is OutboxState.SENT
        )
        await service.stop()
    assert "disk trouble (test)" in failures[0].error.message
    db.close()
    assert len(sandbox.counters()["sends_by_key"]) == 1


async def test_messages_to_one_chat_reach_blooio_in_the_order_they_were_written(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    """Eight requests may be in flight, but never two for the same chat: a burst to one person
    arrives in the order typed, while other chats are sent alongside it."""
    sandbox.control("PUT", "world", {"bot": False})
    # A third of the sends fail once and are retried: without the per-chat line, later lines
    # would overtake them.
    sandbox.set_faults(error_rate=0.3, error_statuses=[502], random_seed=7, methods=["POST"])
    db = Database.open(app_home / "data" / "acct.sqlite3")
    async with BlooioClient(
        sandbox.api_key, sandbox.base_url, retry=_retry(max_retries=5)
    ) as client:
        service = MessagingService(client, db, EventBus())
        await service.start()
        for n in range(6):
            await service.send(CHAT, f"line {n}")
            await service.send("+15557770099", f"other {n}")
        await service.outbox.drain()
        await service.stop()
    db.close()
    created = [m["text"] for m in sandbox.control("GET", "state")["messages"]]  # creation order
    assert [t for t in created if t.startswith("line")] == [f"line {n}" for n in range(6)]
    assert [t for t in created if t.startswith("other")] == [f"other {n}" for n in range(6)]
