"""End to end: sandbox → (stand-in ngrok) tunnel → listener → store; URL change re-registers; exit
cleans up; only webhooks this app created are ever touched; the watchdog restarts a crashed agent and
follows a moved URL. The sandbox's webhook list proves it."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from blooio_desktop.api import BlooioClient
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.connectivity import ConnectivityService, ConnectivityState, Phase
from blooio_desktop.services.webhook_registry import CreatedWebhook, CreatedWebhooks
from blooio_desktop.store.database import Database
from blooio_desktop.store.messages import MessageRepository
from blooio_desktop.tunnel.base import TunnelProvider
from blooio_desktop.tunnel.external import ExternalTunnel
from blooio_desktop.tunnel.ngrok import NgrokTunnel
from blooio_desktop.tunnel.none import NoTunnel
from blooio_desktop.webhook.listener import WebhookListener
from tests.support.fake_ngrok import crash_agent, install_fake_ngrok, reconnect_agent
from tests.support.intake import SeenEvents, build_intake
from tests.support.sandbox import SandboxHandle
from tests.support.waiting import wait_until

PHONE = "+15551230042"
WATCHDOG_S = 0.1


def agent_paths(tmp_path: Path) -> tuple[Path, Path]:
    """Where `ngrok_tunnel(tmp_path)` puts the stand-in agent and its config."""
    return tmp_path / "bin" / "ngrok", tmp_path / "ngrok.yml"


def ngrok_tunnel(tmp_path: Path) -> NgrokTunnel:
    exe, config = agent_paths(tmp_path)
    return NgrokTunnel(
        authtoken="test-authtoken",
        ngrok_path=install_fake_ngrok(exe.parent),
        config_path=config,
    )


@contextmanager
def port_held(url: str) -> Iterator[None]:
    """Keep `url`'s loopback port taken, so a restarted agent cannot get the same URL back."""
    port = int(url.split(":")[2].split("/")[0])
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        sock.listen()
        yield


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

    def foreign_webhook(self, url: str) -> str:
        """A webhook someone else registered (the dashboard, another tool); returns its id."""
        created = self.sandbox.api(
            "POST", "webhooks", json={"webhook_url": url, "webhook_type": "all"}
        ).json()
        return str(created["webhook_id"])

    def webhook_urls(self) -> list[object]:
        return [h["webhook_url"] for h in self.webhooks()]

    def phases(self) -> list[Phase]:
        return [s.phase for s in self.states]

    def settled(self) -> bool:
        """Verified, and the only webhook this app still owns is the current one (an old one is
        deleted right after the new URL is verified)."""
        state = self.service.state
        owned = [w.webhook_id for w in self.registry.all()]
        return state.phase == Phase.VERIFIED and owned == [state.webhook_id]

    def inbound(self, text: str) -> str:
        message_id: str = self.sandbox.control("POST", "inbound", {"from": PHONE, "text": text})[
            "message_id"
        ]
        return message_id


@asynccontextmanager
async def build(
    sandbox: SandboxHandle,
    tmp_path: Path,
    tunnel: TunnelProvider,
    *,
    register_local: bool = False,
    watchdog_interval: float | None = None,
) -> AsyncIterator[Rig]:
    sandbox.control("PUT", "world", {"bot": False})
    bus = EventBus()
    db = Database.open(tmp_path / "app.sqlite3")
    registry = CreatedWebhooks(tmp_path / "created-webhooks.json")
    async with (
        BlooioClient(sandbox.api_key, sandbox.base_url, timeout=5.0) as client,
        httpx.AsyncClient() as http,
    ):
        rig_box: list[Rig] = []
        events: list[WebhookEvent] = []
        intake = build_intake(db, bus, observe=lambda d: rig_box[0].service.observe(d))
        listener = WebhookListener(
            secret_provider=lambda: rig_box[0].service.signing_secrets(),
            sink=SeenEvents(intake, events),
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
            watchdog_interval=watchdog_interval,
        )
        rig = Rig(service=service, sandbox=sandbox, db=db, registry=registry, events=events)
        rig_box.append(rig)
        bus.subscribe(ConnectivityState, rig.states.append)
        try:
            yield rig
        finally:
            await service.stop()
            db.close()


@pytest.fixture
async def ngrok_rig(sandbox: SandboxHandle, tmp_path: Path) -> AsyncIterator[Rig]:
    async with build(sandbox, tmp_path, ngrok_tunnel(tmp_path)) as rig:
        yield rig


@pytest.fixture
async def watched_rig(sandbox: SandboxHandle, tmp_path: Path) -> AsyncIterator[Rig]:
    tunnel = ngrok_tunnel(tmp_path)
    async with build(sandbox, tmp_path, tunnel, watchdog_interval=WATCHDOG_S) as rig:
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
    assert rig.webhook_urls() == [second.public_url]
    assert SecretStore().webhook_secret(str(first.webhook_id)) is None
    message_id = rig.inbound("after the move")
    await wait_until(lambda: any(e.message_id == message_id for e in rig.events))


async def test_exit_deletes_what_the_app_created_and_nothing_else(ngrok_rig: Rig) -> None:
    rig = ngrok_rig
    foreign = rig.foreign_webhook("https://someone-else.example/hook")
    state = await rig.service.start()
    assert len(rig.webhooks()) == 2
    await rig.service.stop()
    assert [h["webhook_id"] for h in rig.webhooks()] == [foreign]
    assert rig.registry.all() == []
    assert SecretStore().webhook_secret(str(state.webhook_id)) is None
    assert rig.service.state.phase == Phase.STOPPED


async def test_leftovers_of_a_crashed_run_are_cleaned_up_on_start(ngrok_rig: Rig) -> None:
    rig = ngrok_rig
    stale = rig.foreign_webhook("https://dead-tunnel.example/webhooks/blooio")
    rig.registry.add(
        CreatedWebhook(stale, "https://dead-tunnel.example", rig.sandbox.base_url, 0.0)
    )
    state = await rig.service.start()
    assert [h["webhook_id"] for h in rig.webhooks()] == [state.webhook_id]


async def test_tunnel_failure_degrades_with_a_hint_and_keeps_the_listener(
    sandbox: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_NGROK_MODE", "bad-authtoken")
    async with build(sandbox, tmp_path, ngrok_tunnel(tmp_path)) as rig:
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
        assert rig.webhook_urls() == [state.local_url]
        message_id = rig.inbound("local only")
        await wait_until(lambda: any(e.message_id == message_id for e in rig.events))
        published = list(rig.states)
        assert await rig.service.supervise() is True  # nothing to watch: no transition
        assert rig.states == published


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
        assert rig.webhook_urls() == [second.public_url]
        assert second.webhook_id != first.webhook_id


async def test_start_again_retries_a_degraded_tunnel(
    sandbox: SandboxHandle, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAKE_NGROK_MODE", "limit")
    async with build(sandbox, tmp_path, ngrok_tunnel(tmp_path)) as rig:
        assert (await rig.service.start()).phase == Phase.DEGRADED
        monkeypatch.setenv("FAKE_NGROK_MODE", "ok")  # the other agent session was closed
        state = await rig.service.start()
        assert state.phase == Phase.VERIFIED
        assert rig.webhook_urls() == [state.public_url]


async def test_the_watchdog_restarts_a_crashed_agent_and_moves_the_webhook(
    watched_rig: Rig, tmp_path: Path
) -> None:
    rig = watched_rig
    first = await rig.service.start()
    assert first.phase == Phase.VERIFIED and first.public_url is not None
    crash_agent(*agent_paths(tmp_path))
    with port_held(first.public_url):
        await wait_until(
            lambda: Phase.DEGRADED in rig.phases() and rig.settled(),
            what="recovery after the agent crashed",
        )
    lost = next(s for s in rig.states if s.phase == Phase.DEGRADED)
    assert lost.reason == "the ngrok agent exited" and lost.hint and "automatically" in lost.hint
    second = rig.service.state
    assert second.public_url != first.public_url and second.webhook_id != first.webhook_id
    assert rig.webhook_urls() == [second.public_url]
    assert SecretStore().webhook_secret(str(first.webhook_id)) is None
    message_id = rig.inbound("after the crash")
    await wait_until(lambda: any(e.message_id == message_id for e in rig.events))


async def test_the_watchdog_registers_a_moved_public_url(watched_rig: Rig, tmp_path: Path) -> None:
    rig = watched_rig
    first = await rig.service.start()
    reconnect_agent(*agent_paths(tmp_path))
    await wait_until(
        lambda: rig.service.state.public_url != first.public_url and rig.settled(),
        what="the new URL verified",
    )
    second = rig.service.state
    assert Phase.DEGRADED not in rig.phases()  # the agent never stopped
    assert rig.webhook_urls() == [second.public_url]
    assert SecretStore().webhook_secret(str(first.webhook_id)) is None
    message_id = rig.inbound("after the move")
    await wait_until(lambda: any(e.message_id == message_id for e in rig.events))


async def test_the_watchdog_keeps_retrying_a_failed_restart_until_it_works(
    watched_rig: Rig, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rig = watched_rig
    await rig.service.start()
    monkeypatch.setenv("FAKE_NGROK_MODE", "limit")  # the restarted agent is refused
    crash_agent(*agent_paths(tmp_path))
    await wait_until(
        lambda: "limit" in (rig.service.state.hint or "") and rig.registry.all() == [],
        what="the restart failure shown and the dead URL's webhook deleted",
    )
    assert rig.service.state.phase == Phase.DEGRADED
    assert rig.webhooks() == []  # the dead URL's webhook is not left behind
    monkeypatch.setenv("FAKE_NGROK_MODE", "ok")  # the other agent session was closed
    await wait_until(rig.settled, what="recovery")
    assert rig.webhook_urls() == [rig.service.state.public_url]
