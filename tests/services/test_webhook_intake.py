"""The app's webhook intake on a real SQLite file: one transaction per batch (events merged and every
delivery recorded), published once on the loop, and no batch neighbour lost to one bad event."""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from pathlib import Path
from typing import TypeVar

import aiohttp
import pytest

from blooio_desktop.core.events import Changes, WebhookEvent
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.services import ingest as ingest_module
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.events import StoreFailure
from blooio_desktop.services.inspector import DeliveryRecorded
from blooio_desktop.store import ChatRepository, Database, MessageRepository
from blooio_desktop.webhook.listener import WebhookListener
from blooio_desktop.webhook.outgoing import webhook_headers
from blooio_desktop.webhook.sink import Acked
from tests.support.intake import acked, build_intake, hand_over

CHAT = "+15551230000"
SECRET = "whsec_intake_secret"
E = TypeVar("E")


def received(n: int) -> WebhookEvent:
    return WebhookEvent(
        event="message.received", message_id=f"in{n}", external_id=CHAT, text=f"hello {n}",
        timestamp=1_000 + n, received_at=1_000 + n, sender=CHAT,
    )  # fmt: skip


class Heard:
    """Everything published on the bus, and every delivery the intake let `observe` see."""

    def __init__(self, bus: EventBus) -> None:
        self.published: list[object] = []
        self.observed: list[WebhookDelivery] = []
        bus.subscribe(object, self.published.append)

    def of(self, kind: type[E]) -> list[E]:
        return [e for e in self.published if isinstance(e, kind)]


@pytest.fixture
def db(tmp_path: Path) -> Database:
    return Database.open(tmp_path / "intake.sqlite3")


async def trace_commits(db: Database) -> list[str]:
    statements: list[str] = []
    await db.write(lambda conn: conn.set_trace_callback(statements.append))
    statements.clear()  # that write's own COMMIT
    return statements


async def test_a_batch_is_one_transaction_published_once(db: Database) -> None:
    bus = EventBus()
    heard = Heard(bus)
    intake = build_intake(db, bus, observe=lambda d: heard.observed.append(d))
    statements = await trace_commits(db)
    forged = replace(acked(received(9)).delivery, verdict="invalid", response_status=401)
    batch = [acked(received(1)), acked(received(2)), acked(received(1)), Acked(forged, None)]
    await hand_over(intake, batch)

    assert statements.count("COMMIT") == 1
    assert {m.message_id for m in MessageRepository(db.read()).page(CHAT)} == {"in1", "in2"}
    [changes] = heard.of(Changes)[:1]
    assert isinstance(changes, Changes) and {m for _, m in changes.inserted_messages} == {"in1", "in2"}
    recorded = [e.delivery for e in heard.of(DeliveryRecorded)]
    assert [d.message_id for d in recorded] == ["in1", "in2", "in1", "in9"]  # in the order acked
    assert all(d.id is not None and d.processing_ms is not None for d in recorded)
    assert [d.verdict for d in heard.observed] == ["valid", "valid", "valid", "invalid"]
    item = ChatRepository(db.read()).get_item(CHAT)
    assert item is not None and item.unread_count == 2
    db.close()


async def test_a_burst_over_http_is_a_handful_of_transactions_and_nothing_is_lost(db: Database) -> None:
    bus = EventBus()
    heard = Heard(bus)
    intake = build_intake(db, bus)
    listener = WebhookListener(secret_provider=lambda: [SECRET], sink=intake)
    url = await listener.start()
    statements = await trace_commits(db)
    gate = asyncio.Semaphore(16)

    async def post(session: aiohttp.ClientSession, n: int) -> int:
        event = received(n)
        body = json.dumps({
            "event": event.event, "message_id": event.message_id, "external_id": CHAT,
            "text": event.text, "sender": CHAT, "timestamp": event.timestamp,
        }).encode()  # fmt: skip
        headers = webhook_headers(body, SECRET, event=event.event, message_id=event.message_id)
        async with gate, session.post(url, data=body, headers=headers) as res:
            return res.status

    async with aiohttp.ClientSession() as session:
        numbers = list(range(300)) + list(range(0, 300, 10))  # and 30 redeliveries
        statuses = await asyncio.gather(*(post(session, n) for n in numbers))
    await listener.stop()

    assert set(statuses) == {200}
    assert MessageRepository(db.read()).count(CHAT) == 300
    item = ChatRepository(db.read()).get_item(CHAT)
    assert item is not None and item.unread_count == 300
    recorded = [e.delivery for e in heard.of(DeliveryRecorded)]
    assert len(recorded) == 330 and sum(d.verdict == "duplicate" for d in recorded) == 30
    assert statements.count("COMMIT") < 100  # one per batch, and batches share commits
    db.close()


async def test_an_event_the_merge_refuses_is_noted_and_its_neighbours_are_kept(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = ingest_module._received

    def refuse_one(event: WebhookEvent, chat_id: str):  # type: ignore[no-untyped-def]
        if event.message_id == "in2":
            raise ValueError("a payload this version cannot merge")
        return real(event, chat_id)

    monkeypatch.setattr(ingest_module, "_received", refuse_one)
    bus = EventBus()
    heard = Heard(bus)
    intake = build_intake(db, bus)
    await hand_over(intake, [acked(received(n)) for n in (1, 2, 3)])

    assert {m.message_id for m in MessageRepository(db.read()).page(CHAT)} == {"in1", "in3"}
    notes = {d.message_id: d.note for d in (e.delivery for e in heard.of(DeliveryRecorded))}
    assert notes["in1"] is None and notes["in3"] is None
    assert notes["in2"] == "handler failed: ValueError: a payload this version cannot merge"
    db.close()


async def test_a_batch_the_store_refuses_is_reported_and_the_next_one_is_saved(db: Database) -> None:
    bus = EventBus()
    heard = Heard(bus)
    intake = build_intake(db, bus, observe=lambda d: heard.observed.append(d))
    first = acked(received(1))
    broken = Acked(replace(first.delivery, verdict=None), first.event)  # type: ignore[arg-type]
    await hand_over(intake, [broken, acked(received(2))])

    [failure] = heard.of(StoreFailure)
    assert isinstance(failure, StoreFailure) and failure.action == "incoming messages"
    assert MessageRepository(db.read()).count(CHAT) == 0  # nothing half-stored
    assert [d.message_id for d in heard.observed] == ["in1", "in2"]  # the tunnel check still sees them
    await hand_over(intake, [acked(received(3))])
    assert [m.message_id for m in MessageRepository(db.read()).page(CHAT)] == ["in3"]
    assert [e.delivery.message_id for e in heard.of(DeliveryRecorded)] == ["in3"]
    db.close()


async def test_deliveries_taken_after_the_store_closed_are_reported_not_lost_track_of(
    db: Database,
) -> None:
    bus = EventBus()
    heard = Heard(bus)
    intake = build_intake(db, bus, observe=lambda d: heard.observed.append(d))
    db.close()  # e.g. a webhook acknowledged during shutdown
    await asyncio.wait_for(hand_over(intake, [acked(received(1))]), 5)  # its batch is still done
    [failure] = heard.of(StoreFailure)
    assert isinstance(failure, StoreFailure) and "closed" in failure.error.message
    assert [d.message_id for d in heard.observed] == ["in1"]
