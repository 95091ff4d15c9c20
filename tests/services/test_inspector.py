"""The inspector on a live listener and a real SQLite file: record, replay (re-signed, edited, bad,
expired), forward to a local receiver, export as JSON lines with secrets redacted."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from blooio_desktop.config.settings import ForwardTarget
from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.fixtures import FixtureLibrary
from blooio_desktop.services.forwarding import Forwarder
from blooio_desktop.services.inspector import DeliveryRecorded, ForwardRecorded, InspectorService
from blooio_desktop.services.webhook_intake import WebhookIntake
from blooio_desktop.store.database import Database
from blooio_desktop.store.deliveries import DeliveryFilter
from blooio_desktop.webhook.listener import WebhookListener
from blooio_desktop.webhook.outgoing import webhook_headers
from blooio_desktop.webhook.signature import verify
from tests.support.intake import SeenEvents
from tests.support.local_server import serve_app
from tests.support.waiting import wait_until

SECRET = "whsec_inspector_secret"


@dataclass
class Receiver:
    """The developer's own local server that `--forward-to` targets; it verifies like Blooio's."""

    url: str
    seen: list[tuple[str, str]] = field(default_factory=list)  # (event, verdict)


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    box: list[Receiver] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        verdict = verify(SECRET, request.headers.get("X-Blooio-Signature"), body)
        box[0].seen.append((request.headers.get("X-Blooio-Event", ""), verdict.value))
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/hook", hook)
    async with serve_app(app) as base_url:
        box.append(Receiver(url=f"{base_url}/hook"))
        yield box[0]


@dataclass
class Bench:
    inspector: InspectorService
    listener: WebhookListener
    recorded: list[DeliveryRecorded]
    forwards: list[ForwardRecorded]
    events: list[WebhookEvent]

    async def post(self, name: str, mode: str = "valid", **overrides: object) -> int:
        payload = FixtureLibrary(Path("/nonexistent")).build(name, overrides)
        body = json.dumps(payload).encode()
        headers = webhook_headers(
            body, SECRET, event=payload["event"], message_id=payload["message_id"], mode=mode
        )
        async with httpx.AsyncClient() as http:
            status = (await http.post(self.listener.url, content=body, headers=headers)).status_code
        await self.settle()
        return status

    async def settle(self) -> None:
        await self.listener.drain()
        await self.inspector.aclose()


@pytest.fixture
async def bench(tmp_path: Path, receiver: Receiver) -> AsyncIterator[Bench]:
    bus = EventBus()
    recorded: list[DeliveryRecorded] = []
    forwards: list[ForwardRecorded] = []
    events: list[WebhookEvent] = []
    bus.subscribe(DeliveryRecorded, recorded.append)
    bus.subscribe(ForwardRecorded, forwards.append)
    db = Database.open(tmp_path / "inspector.sqlite3")
    async with httpx.AsyncClient() as http:
        targets = [
            ForwardTarget(receiver.url),
            ForwardTarget(receiver.url + "?only=reactions", events=("message.reaction",)),
            ForwardTarget("http://127.0.0.1:9/dead"),
        ]
        forwarder = Forwarder(http, targets, lambda: [SECRET], timeout_s=5)
        inspector = InspectorService(
            db,
            bus,
            http=http,
            listener_url=lambda: listener.url,
            secret_provider=lambda: [SECRET],
            forwarder=forwarder,
        )
        intake = WebhookIntake(db, bus, inspector, loop=asyncio.get_running_loop())
        listener = WebhookListener(
            secret_provider=lambda: [SECRET], sink=SeenEvents(intake, events)
        )
        await listener.start()
        yield Bench(inspector, listener, recorded, forwards, events)
        await listener.stop()
        await inspector.aclose()
    db.close()


async def test_every_delivery_is_recorded_with_its_verdict(bench: Bench) -> None:
    assert await bench.post("message.received") == 200
    assert await bench.post("message.sent", mode="bad") == 401
    assert await bench.post("message.read", mode="expired") == 401
    rows = bench.inspector.recent()
    assert [r.verdict for r in rows] == ["stale", "invalid", "valid"]  # newest first
    assert [r.event for r in rows] == ["message.read", "message.sent", "message.received"]
    assert all(dict(r.headers)["X-Blooio-Signature"] == "<redacted>" for r in rows)
    assert [e.delivery.id for e in bench.recorded] == [r.id for r in reversed(rows)]
    assert (
        bench.inspector.recent(DeliveryFilter(verdicts=("valid",)))[0].event == "message.received"
    )


async def test_replay_goes_back_through_the_listener_re_signed(bench: Bench) -> None:
    await bench.post("message.received")
    original = bench.inspector.recent()[0]
    result = await bench.inspector.replay(original.id or 0)
    await bench.settle()
    assert result.status == 200
    replayed = bench.inspector.recent()[0]
    assert (replayed.replay_of, replayed.verdict, replayed.body) == (
        original.id,
        "valid",
        original.body,
    )
    assert [e.message_id for e in bench.events] == [original.message_id] * 2  # into the app again


@pytest.mark.parametrize(
    ("mode", "status", "verdict"),
    [("valid", 200, "valid"), ("bad", 401, "invalid"), ("expired", 401, "stale")],
)
async def test_edited_replay_with_each_signing_mode(
    bench: Bench, mode: str, status: int, verdict: str
) -> None:
    await bench.post("message.received")
    original = bench.inspector.recent()[0]
    edited = json.loads(original.body) | {"text": "edited in the inspector"}
    result = await bench.inspector.replay_modified(
        original.id or 0, json.dumps(edited).encode(), mode=mode
    )
    await bench.settle()
    assert result.status == status
    assert bench.inspector.recent()[0].verdict == verdict
    texts = [e.text for e in bench.events]
    assert texts == (
        ["Is the order ready?", "edited in the inspector"]
        if mode == "valid"
        else ["Is the order ready?"]
    )


async def test_verified_deliveries_are_forwarded_re_signed_with_filters(
    bench: Bench, receiver: Receiver
) -> None:
    await bench.post("message.reaction")
    await bench.post("message.delivered")
    await bench.post("message.failed", mode="bad")  # never forwarded
    await wait_until(lambda: len(bench.forwards) == 5)
    assert receiver.seen == [("message.reaction", "valid")] * 2 + [("message.delivered", "valid")]
    reaction = bench.inspector.recent(DeliveryFilter(events=("message.reaction",)))[0]
    attempts = bench.inspector.forward_attempts(reaction.id or 0)
    by_url = {a.target_url: a for a in attempts}
    assert (
        by_url[receiver.url].status == 200
        and by_url[receiver.url + "?only=reactions"].status == 200
    )
    dead = by_url["http://127.0.0.1:9/dead"]
    assert dead.status is None and dead.error


async def test_export_is_json_lines_with_secrets_redacted(bench: Bench, tmp_path: Path) -> None:
    await bench.post("message.received")
    await bench.post("message.received.group")
    out = tmp_path / "deliveries.jsonl"
    assert await bench.inspector.export_jsonl(out) == 2
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [line["body"]["event"] for line in lines] == ["message.received", "message.received"]
    assert lines[1]["body"]["is_group"] is True
    assert lines[0]["headers"]["X-Blooio-Signature"] == "<redacted>"
    assert "v1=" not in out.read_text() and SECRET not in out.read_text()


async def test_a_delivery_can_be_saved_as_a_fixture(bench: Bench, tmp_path: Path) -> None:
    await bench.post("message.failed")
    library = FixtureLibrary(tmp_path / "fixtures")
    library.save("my-failure", bench.inspector.recent()[0].body)
    assert "my-failure" in library.names()
    assert library.build("my-failure")["error_code"] == "unreachable"
