"""Backfill on reconnect: real connectivity (listener → registered → verified) against the sandbox;
messages that arrived while webhooks were down are in the store once they come back, and reported."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.connectivity import ConnectivityService, ConnectivityState, Phase
from blooio_desktop.services.events import BackfillReport, SyncProgress
from blooio_desktop.services.reconnect import BackfillOnReconnect
from blooio_desktop.services.sync import SyncService
from blooio_desktop.store import Database, MessageRepository
from blooio_desktop.tunnel.none import NoTunnel
from blooio_desktop.webhook.listener import WebhookListener
from tests.support.intake import build_intake
from tests.support.sandbox import SandboxHandle
from tests.support.waiting import wait_until

PHONE = "+15554440001"


@dataclass
class Rig:
    bus: EventBus
    db: Database
    connectivity: ConnectivityService
    reconnect: BackfillOnReconnect
    reports: list[BackfillReport] = field(default_factory=list)

    def stored(self, ids: list[str]) -> set[str]:
        return MessageRepository(self.db.read()).existing(ids)


@pytest.fixture
async def rig(sandbox: SandboxHandle, app_home: Path) -> AsyncIterator[Rig]:
    """What the session builds for the sandbox account: the listener registered at its local URL."""
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    bus = EventBus()
    db = Database.open(app_home / "data" / "acct.sqlite3")
    async with (
        BlooioClient(sandbox.api_key, sandbox.base_url, timeout=5.0) as client,
        httpx.AsyncClient() as http,
    ):
        box: list[ConnectivityService] = []
        listener = WebhookListener(
            secret_provider=lambda: box[0].signing_secrets(),
            sink=build_intake(db, bus, observe=lambda d: box[0].observe(d)),
        )
        connectivity = ConnectivityService(
            listener=listener,
            tunnel=NoTunnel(),
            bus=bus,
            http=http,
            client=client,
            register_local=True,
        )
        box.append(connectivity)
        rig = Rig(bus, db, connectivity, BackfillOnReconnect(bus, SyncService(client, db, bus)))
        bus.subscribe(BackfillReport, rig.reports.append)
        try:
            yield rig
        finally:
            await rig.reconnect.close()
            await connectivity.stop()
            db.close()


def _inbound(sandbox: SandboxHandle, text: str) -> str:
    return str(sandbox.control("POST", "inbound", {"from": PHONE, "text": text})["message_id"])


async def test_messages_that_arrived_while_webhooks_were_down_are_backfilled_on_reconnect(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    _inbound(sandbox, "before the app started")
    assert (await rig.connectivity.start()).phase is Phase.VERIFIED
    await wait_until(lambda: len(rig.reports) == 1, what="the backfill of the first connection")
    await wait_until(lambda: not rig.reconnect.running, what="the first backfill to finish")

    await rig.connectivity.stop()  # webhook deleted: the sandbox delivers to nobody now
    missed = [_inbound(sandbox, f"while down {i}") for i in range(3)]
    assert rig.stored(missed) == set()

    assert (await rig.connectivity.start()).phase is Phase.VERIFIED
    await wait_until(lambda: len(rig.reports) == 2, what="the backfill after reconnecting")
    assert rig.reports[1].count == 3 and rig.reports[1].chats == (PHONE,)
    assert rig.reports[1].summary == "3 messages backfilled"
    assert rig.stored(missed) == set(missed)
    # listener_up → registered → verified is one reconnect, not two
    await wait_until(lambda: not rig.reconnect.running, what="the backfill to finish")
    assert len(rig.reports) == 2


async def test_reconnects_during_a_backfill_queue_one_more_never_a_parallel_one(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    first = _inbound(sandbox, "before")
    flapped: list[Phase] = []

    def flap(_progress: SyncProgress) -> None:  # runs inside the first backfill
        if not flapped:
            flapped.extend((Phase.DEGRADED, Phase.REGISTERED, Phase.STOPPED, Phase.VERIFIED))
            for phase in flapped:
                rig.bus.publish(ConnectivityState(phase))

    rig.bus.subscribe(SyncProgress, flap)
    rig.bus.publish(ConnectivityState(Phase.REGISTERED))
    rig.bus.publish(ConnectivityState(Phase.VERIFIED))  # same connection: not a reconnect
    await wait_until(lambda: not rig.reconnect.running, what="the backfills to finish")
    assert flapped  # two reconnects happened while the first backfill ran…
    assert len(rig.reports) == 2  # …and were caught up by exactly one more, after it
    assert rig.stored([first]) == {first}


async def test_close_cancels_the_backfill_and_stops_listening(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    _inbound(sandbox, "hello")
    rig.bus.publish(ConnectivityState(Phase.VERIFIED))
    assert rig.reconnect.running
    await rig.reconnect.close()
    assert not rig.reconnect.running
    rig.bus.publish(ConnectivityState(Phase.DEGRADED))
    rig.bus.publish(ConnectivityState(Phase.VERIFIED))
    assert not rig.reconnect.running and rig.reports == []
