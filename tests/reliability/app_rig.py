"""The app's receiving side, wired as `session.py` wires it, minus Qt: for storm and outage proofs.

Listener (verify, dedupe, ack) → `WebhookIntake` (events merged and every delivery recorded for the
inspector, one SQLite transaction per batch); `ConnectivityService` registers the webhook at the sandbox and verifies it;
`BackfillOnReconnect` runs `SyncService.backfill()` whenever deliveries can reach us again.
Everything published on the bus is kept in `events`, so a test can assert on what the user was told.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.connectivity import ConnectivityService, Phase
from blooio_desktop.services.events import BackfillReport
from blooio_desktop.services.inspector import InspectorService
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.reconnect import BackfillOnReconnect
from blooio_desktop.services.sync import SyncService
from blooio_desktop.services.webhook_intake import WebhookIntake
from blooio_desktop.services.webhook_registry import CreatedWebhooks
from blooio_desktop.store import Database
from blooio_desktop.tunnel.base import TunnelProvider
from blooio_desktop.tunnel.none import NoTunnel
from blooio_desktop.webhook.listener import WebhookListener
from tests.support.sandbox import SandboxHandle

# Retries that keep fault tests fast: a few tries, millisecond backoff, Retry-After capped.
FAST_RETRY = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05, max_retry_after=0.05)


@dataclass(eq=False)
class AppRig:
    sandbox: SandboxHandle
    home: Path
    tunnel: TunnelProvider | None = (
        None  # None: register the local URL, as the app does with the sandbox
    )
    listener_port: int = 0
    events: list[object] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.bus = EventBus()
        self.bus.subscribe(object, self.events.append)
        self.db = Database.open(self.home / "data" / "rig.sqlite3")
        self.client = BlooioClient(self.sandbox.api_key, self.sandbox.base_url, retry=FAST_RETRY)
        self.http = httpx.AsyncClient(timeout=5.0)
        self.messaging = MessagingService(self.client, self.db, self.bus)
        self.sync = SyncService(self.client, self.db, self.bus)
        self.inspector = InspectorService(
            self.db,
            self.bus,
            http=self.http,
            listener_url=lambda: None,
            secret_provider=self.signing_secrets,
        )
        self.intake = WebhookIntake(
            self.db,
            self.bus,
            self.inspector,
            loop=asyncio.get_running_loop(),
            observe=lambda delivery: self.connectivity.observe(delivery),
        )
        self.listener = WebhookListener(
            secret_provider=self.signing_secrets, port=self.listener_port, sink=self.intake
        )
        self.connectivity = ConnectivityService(
            listener=self.listener,
            tunnel=self.tunnel or NoTunnel(),
            bus=self.bus,
            http=self.http,
            client=self.client,
            secrets=SecretStore(),
            registry=CreatedWebhooks(self.home / "data" / "webhooks.json"),
            register_local=self.tunnel is None,
        )
        self.reconnect = BackfillOnReconnect(self.bus, self.sync)

    def signing_secrets(self) -> list[str]:
        return self.connectivity.signing_secrets()

    async def start(self) -> None:
        """Sync first (so a later backfill has a watermark), then receive, then send."""
        await self.sync.initial_sync()
        state = await self.connectivity.start()
        assert state.phase in (Phase.REGISTERED, Phase.VERIFIED), state
        await self.messaging.start()
        await self.settle_backfills()

    async def settle_backfills(self, timeout: float = 30.0) -> None:
        async with asyncio.timeout(timeout):
            while self.reconnect.running:
                await asyncio.sleep(0.05)

    def backfill_reports(self) -> list[BackfillReport]:
        return [e for e in self.events if isinstance(e, BackfillReport)]

    async def close(self) -> None:
        await self.reconnect.close()
        await self.connectivity.stop()
        await self.messaging.stop()
        await self.inspector.aclose()
        await self.client.aclose()
        await self.http.aclose()
        self.db.close()
