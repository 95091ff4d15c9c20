"""End to end: sandbox → (stand-in ngrok) tunnel → listener → store; URL change re-registers; exit
cleans up; only webhooks this app created are ever touched. The sandbox's webhook list proves it."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from blooio_desktop.api import BlooioClient
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.connectivity import ConnectivityService, ConnectivityState, Phase
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.webhook_registry import CreatedWebhook, CreatedWebhooks
from blooio_desktop.store.database import Database
from blooio_desktop.store.messages import MessageRepository
from blooio_desktop.tunnel.base import TunnelProvider
from blooio_desktop.tunnel.external import ExternalTunnel
from blooio_desktop.tunnel.ngrok import NgrokTunnel
from blooio_desktop.tunnel.none import NoTunnel
from blooio_desktop.webhook.listener import WebhookListener
from tests.support.fake_ngrok import install_fake_ngrok
from tests.support.sandbox import SandboxHandle

PHONE = "+15551230042"


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not predicate():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


@dataclass
class Rig:
    service: ConnectivityService
    sandbox: SandboxHandle
    db: Database
    registry: CreatedWebhooks
    states: list[ConnectivityState] = field(default_factory=list)
    events: list[WebhookEvent] = field(default_factory=list)

    def webhooks(self) -> list[dict[str, object]]:
        hooks: list[dict[str, object]] = self.sandbox.control("GET", "state")["webhooks"]
        return hooks

    def inbound(self, text: str) -> str:
        message_id: str = self.sandbox.control("POST", "inbound", {"from": PHONE, "text": text})[
            "message_id"
        ]
        return message_id


@asynccontextmanager
async def build(
    sandbox: SandboxHandle, tmp_path: Path, tunnel: TunnelProvider, *, register_local: bool = False
) -> AsyncIterator[Rig]:
    sandbox.control("PUT", "world", {"bot": False})
    bus = EventBus()
    db = Database.open(tmp_path / "app.sqlite3")
    registry = CreatedWebhooks(tmp_path / "created-webhooks.json")
    async with (
        BlooioClient(sandbox.api_key, sandbox.base_url, timeout=5.0) as client,
        httpx.AsyncClient() as http,
    ):
        messaging = MessagingService(client, db, bus)
        rig_box: list[Rig] = []

        async def on_event(event: WebhookEvent) -> None:
            rig_box[0].events.append(event)
            await messaging.ingest(event)

        listener = WebhookListener(
            secret_provider=lambda: rig_box[0].service.signing_secrets(),
            on_event=on_event,
            on_delivery=lambda d: rig_box[0].service.observe(d),
        )
        service = ConnectivityService(
            listener=listener,
            tunnel=tunnel,
            bus=bus,
            http=http,
            client=client,
            secrets=SecretStore(),
            registry=registry,
            register_local=register_local,
        )
        rig = Rig(service=service, sandbox=sandbox, db=db, registry=registry)
        rig_box.append(rig)
        bus.subscribe(ConnectivityState, rig.states.append)
        try:
            yield rig
        finally:
            await service.stop()
            db.close()


@pytest.fixture
async def ngrok_rig(sandbox: SandboxHandle, tmp_path: Path) -> AsyncIterator[Rig]:
    tunnel = NgrokTunnel(
        authtoken="test-authtoken",
        ngrok_path=install_fake_ngrok(tmp_path / "bin"),
        config_path=tmp_path / "ngrok.yml",
    )
    async with build(sandbox, tmp_path, tunnel) as rig:
        yield rig


async def test_inbound_message_travels_through_the_tunnel_into_the_store(ngrok_rig: Rig) -> None:
    rig = ngrok_rig
    state = await rig.service.start()
    assert state.phase == Phase.VERIFIED, state
    assert [s.phase for s in rig.states] == [
        Phase.LISTENER_UP,
        Phase.TUNNEL_UP,
        Phase.REGISTERED,
        Phase.VERIFIED,
    ]
    assert state.public_url and state.public_url != state.local_url
    assert [(h["webhook_id"], h["webhook_url"]) for h in rig.webhooks()] == [
        (state.webhook_id, state.public_url)
    ]
    assert (SecretStore().webhook_secret(str(state.webhook_id)) or "").startswith("whsec_")

    message_id = rig.inbound("through the tunnel")
    await wait_until(lambda: MessageRepository(rig.db.read()).get(message_id) is not None)
    stored = MessageRepository(rig.db.read()).get(message_id)
    assert stored is not None and stored.text == "through the tunnel"


async def test_a_new_public_url_is_registered_and_the_old_webhook_deleted(ngrok_rig: Rig) -> None:
    rig = ngrok_rig
    first = await rig.service.start()
    second = await rig.service.restart_tunnel()
    assert second.phase == Phase.VERIFIED
    assert second.public_url != first.public_url and second.webhook_id != first.webhook_id
    assert [h["webhook_url"] for h in rig.webhooks()] == [second.public_url]
    assert SecretStore().webhook_secret(str(first.webhook_id)) is None
    message_id = rig.inbound("after the move")
    await wait_until(lambda: any(e.message_id == message_id for e in rig.events))


async def test_exit_deletes_what_the_app_created_and_nothing_else(ngrok_rig: Rig) -> None:
    rig = ngrok_rig
    foreign = rig.sandbox.api(
        "POST",
        "webhooks",
        json={"webhook_url": "https://someone-else.example/hook", "webhook_type": "all"},
    ).json()
    state = await rig.service.start()
    assert len(rig.webhooks()) == 2
    await rig.service.stop()
    assert [h["webhook_id"] for h in rig.webhooks()] == [foreign["webhook_id"]]
    assert rig.registry.all() == []
    assert SecretStore().webhook_secret(str(state.webhook_id)) is None
    assert rig.service.state.phase == Phase.STOPPED


async def test_leftovers_of_a_crashed_run_are_cleaned_up_on_start(ngrok_rig: Rig) -> None:
    rig = ngrok_rig
    stale = rig.sandbox.api(
        "POST",
        "webhooks",
        json={"webhook_url": "https://dead-tunnel.example/webhooks/blooio", "webhook_type": "all"},
    ).json()
    rig.registry.add(
        CreatedWebhook(
            stale["webhook_id"], "https://dead-tunnel.example", rig.sandbox.base_url, 0.0
        )
    )
    state = await rig.service.start()
    assert [h["webhook_id"] for h in rig.webhooks()] == [state.webhook_id]


async def test_tunnel_failure_degrades_with_a_hint_and_keeps_the_listener(
    sandbox: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_NGROK_MODE", "bad-authtoken")
    tunnel = NgrokTunnel(
        authtoken="test-authtoken",
        ngrok_path=install_fake_ngrok(tmp_path / "bin"),
        config_path=tmp_path / "n.yml",
    )
    async with build(sandbox, tmp_path, tunnel) as rig:
        state = await rig.service.start()
        assert state.phase == Phase.DEGRADED
        assert state.hint and "authtoken" in state.hint
        assert state.local_url is not None
        assert rig.webhooks() == []
        async with httpx.AsyncClient() as http:
            assert (await http.get(state.local_url)).status_code == 405  # listener still answers


async def test_sandbox_mode_registers_the_local_url_without_a_tunnel(
    sandbox: SandboxHandle, tmp_path: Path
) -> None:
    async with build(sandbox, tmp_path, NoTunnel(), register_local=True) as rig:
        state = await rig.service.start()
        assert state.phase == Phase.VERIFIED and state.public_url is None
        assert [h["webhook_url"] for h in rig.webhooks()] == [state.local_url]
        message_id = rig.inbound("local only")
        await wait_until(lambda: any(e.message_id == message_id for e in rig.events))


async def test_registration_failure_is_degraded_not_raised(
    sandbox: SandboxHandle, tmp_path: Path
) -> None:
    sandbox.set_faults(error_rate=1.0, error_statuses=[503], paths="/webhooks")
    async with build(sandbox, tmp_path, NoTunnel(), register_local=True) as rig:
        state = await rig.service.start()
        assert state.phase == Phase.DEGRADED and state.reason and "register" in state.reason
        assert state.hint


async def test_switching_to_an_external_url_moves_the_webhook(
    sandbox: SandboxHandle, tmp_path: Path
) -> None:
    async with build(sandbox, tmp_path, NoTunnel(), register_local=True) as rig:
        first = await rig.service.start()
        assert first.local_url is not None
        # The user now fronts the listener with their own proxy (here: the same listener, new URL).
        external = ExternalTunnel(first.local_url + "/")
        second = await rig.service.restart_tunnel(external)
        assert second.phase == Phase.VERIFIED and second.public_url == first.local_url + "/"
        assert [h["webhook_url"] for h in rig.webhooks()] == [second.public_url]
        assert second.webhook_id != first.webhook_id


async def test_start_again_retries_a_degraded_tunnel(
    sandbox: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_NGROK_MODE", "limit")
    tunnel = NgrokTunnel(
        authtoken="test-authtoken",
        ngrok_path=install_fake_ngrok(tmp_path / "bin"),
        config_path=tmp_path / "n.yml",
    )
    async with build(sandbox, tmp_path, tunnel) as rig:
        assert (await rig.service.start()).phase == Phase.DEGRADED
        monkeypatch.setenv("FAKE_NGROK_MODE", "ok")  # the other agent session was closed
        state = await rig.service.start()
        assert state.phase == Phase.VERIFIED
        assert [h["webhook_url"] for h in rig.webhooks()] == [state.public_url]
