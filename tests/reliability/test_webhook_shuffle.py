"""Duplicated and shuffled webhooks (racing our own send responses) still end equal to the sandbox."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.errors import SignatureError
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.webhook_intake import WebhookIntake
from blooio_desktop.store import Database
from blooio_desktop.webhook.events import parse_body
from blooio_desktop.webhook.signature import verify
from tests.reliability.app_rig import FAST_RETRY
from tests.reliability.truth import comparable, comparable_truth, settled_truth, store_messages
from tests.support.intake import build_intake, ingest
from tests.support.sandbox import SandboxHandle

CONTACTS = [f"+1555800{n:04d}" for n in range(5)]


class Receiver:
    """A tiny signed-webhook endpoint feeding the app's intake (the real listener is elsewhere)."""

    def __init__(self, intake: WebhookIntake) -> None:
        self.intake = intake
        self.secret = ""
        self.received = 0
        self.rejected = 0
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post("/hook", self.handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/hook"

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        try:
            verify(self.secret, request.headers.get("X-Blooio-Signature"), body)
        except SignatureError:
            self.rejected += 1
            return web.Response(status=401)
        self.received += 1
        await ingest(
            self.intake, parse_body(body, event_header=request.headers.get("X-Blooio-Event"))
        )
        return web.Response(text="ok")

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def rig(
    sandbox: SandboxHandle, app_home: Path
) -> AsyncIterator[tuple[MessagingService, Receiver, Database]]:
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    db = Database.open(app_home / "data" / "acct.sqlite3")
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=FAST_RETRY) as client:
        bus = EventBus()
        service = MessagingService(client, db, bus)
        receiver = Receiver(build_intake(db, bus))
        await receiver.start()
        hook = await client.create_webhook(receiver.url, "all")
        assert hook.signing_secret
        receiver.secret = hook.signing_secret
        await service.start()
        yield service, receiver, db
        await service.stop()
        await receiver.stop()
    db.close()


async def test_duplicated_shuffled_webhooks_converge_to_the_sandbox_truth(
    rig: tuple[MessagingService, Receiver, Database], sandbox: SandboxHandle
) -> None:
    service, receiver, db = rig
    sandbox.set_faults(webhook_duplicate_rate=0.5, webhook_shuffle_ms=150, random_seed=11)
    for n in range(40):
        await service.send(CONTACTS[n % len(CONTACTS)], f"outbound {n}")
    inbound = [
        sandbox.control(
            "POST", "inbound", {"from": CONTACTS[n % len(CONTACTS)], "text": f"inbound {n}"}
        )["message_id"]
        for n in range(30)
    ]
    await asyncio.wait_for(service.outbox.drain(), 30)
    for n, message_id in enumerate(inbound[:10]):
        sender = CONTACTS[n % len(CONTACTS)]
        sandbox.control(
            "POST",
            "reaction",
            {"message_id": message_id, "reaction": "love", "sender": sender, "action": "add"},
        )
        if n % 2:
            time.sleep(0.005)  # a later timestamp for the removal
            sandbox.control(
                "POST",
                "reaction",
                {
                    "message_id": message_id,
                    "reaction": "love",
                    "sender": sender,
                    "action": "remove",
                },
            )

    truth = await settled_truth(sandbox)
    await asyncio.sleep(0.2)  # let the last ingest batch commit
    stored = store_messages(db)
    assert len(truth) == 70
    assert set(stored) == set(truth)
    assert {i: comparable(m) for i, m in stored.items()} == {
        i: comparable_truth(m, "sim_status") for i, m in truth.items()
    }
    counters = sandbox.counters()
    assert receiver.rejected == 0
    assert receiver.received == counters["webhooks"]["succeeded"] > 70 * 2  # duplicates did arrive
    assert sum(1 for m in stored.values() if m.reactions) == 10
