"""One account's running services, built and torn down in a fixed order (no Qt).

Used by the GUI composition root (`app.py`). With no API key (or when forced) the built-in sandbox
is started in-process on the running loop and the app talks to it like to Blooio: same client, same
webhook listener (registered directly at the local URL, since nothing needs a tunnel), same store.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.config.credentials import AccountConfig
from blooio_desktop.config.paths import AppPaths
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from blooio_desktop.core.errors import BlooioError, CredentialError, StoreError
from blooio_desktop.services.attachments import AttachmentProber
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.connectivity import ConnectivityService
from blooio_desktop.services.events import StoreFailure
from blooio_desktop.services.forwarding import Forwarder
from blooio_desktop.services.http_client import LazyHttpClient
from blooio_desktop.services.inspector import InspectorService
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.reconnect import BackfillOnReconnect
from blooio_desktop.services.sync import SyncService
from blooio_desktop.services.webhook_intake import WebhookIntake
from blooio_desktop.services.webhook_registry import CreatedWebhooks
from blooio_desktop.store import Database
from blooio_desktop.tunnel.base import TunnelProvider
from blooio_desktop.tunnel.factory import create_tunnel
from blooio_desktop.tunnel.none import NoTunnel
from blooio_desktop.webhook.listener import WebhookListener

if TYPE_CHECKING:
    import ssl

    import httpx

    from blooio_desktop.sandbox import SandboxServer

log = logging.getLogger(__name__)
SANDBOX_SLUG = "sandbox"


@dataclass(eq=False)
class Session:
    paths: AppPaths
    bus: EventBus
    db: Database
    client: BlooioClient
    messaging: MessagingService
    sync: SyncService
    reconnect: BackfillOnReconnect
    connectivity: ConnectivityService
    inspector: InspectorService
    listener: WebhookListener
    prober: AttachmentProber
    http: LazyHttpClient = field(repr=False)
    sandbox: SandboxServer | None = None
    account_label: str = "Sandbox"
    _tasks: set[asyncio.Task[Any]] = field(default_factory=set, repr=False)

    @property
    def is_sandbox(self) -> bool:
        return self.sandbox is not None

    @classmethod
    async def open(
        cls,
        *,
        paths: AppPaths,
        settings: Settings,
        secrets: SecretStore,
        bus: EventBus,
        account: AccountConfig | None,
        sandbox_speed: float = 1.0,
        read_only: bool = False,
    ) -> Session:
        """Build everything for `account` (None ⇒ start the sandbox). Nothing talks to the network yet.
        `read_only` opens the history without writing to it (the user chose so: a full disk)."""
        sandbox: SandboxServer | None = None
        if account is None:
            # Imported here: an account with a key never loads the sandbox (~60 ms before the paint).
            from blooio_desktop.sandbox import SandboxServer

            sandbox = SandboxServer(
                seed=True, data_dir=paths.data_dir / "sandbox", speed=sandbox_speed
            )
            await sandbox.start()
            api_key, base_url, slug, label = (
                sandbox.api_key,
                sandbox.base_url,
                SANDBOX_SLUG,
                "Sandbox",
            )
        else:
            api_key, base_url, slug = account.api_key, account.base_url, account.slug
            label = base_url.split("//", 1)[-1].split("/", 1)[0]
        try:
            db = Database.open(database_path(paths, account), read_only=read_only)
        except BaseException:
            if sandbox is not None:  # the caller may retry (a locked file) or quit: leave nothing
                await sandbox.stop()
            raise
        client = BlooioClient(api_key, base_url)  # its httpx client is built on the first request
        http = LazyHttpClient(_services_client)
        messaging = MessagingService(client, db, bus)
        sync = SyncService(client, db, bus)

        def signing_secrets() -> list[str]:
            return connectivity.signing_secrets()  # the listener asks only once it is serving

        inspector = InspectorService(
            db,
            bus,
            http=http,
            listener_url=lambda: listener.url if listener.running else None,
            secret_provider=signing_secrets,
            forwarder=Forwarder(http, settings.forward_targets, signing_secrets),
        )

        intake = WebhookIntake(
            db,
            bus,
            inspector,
            loop=asyncio.get_running_loop(),
            observe=lambda delivery: connectivity.observe(delivery),
        )
        listener = WebhookListener(
            secret_provider=signing_secrets,
            host=settings.listener_host,
            port=settings.listener_port,
            path=settings.listener_path,
            allow_legacy=settings.allow_legacy_signature,
            tolerance_s=settings.signature_tolerance_s,
            sink=intake,
        )
        connectivity = ConnectivityService(
            listener=listener,
            tunnel=NoTunnel() if sandbox else _tunnel(settings, secrets),
            bus=bus,
            http=http,
            client=client,
            secrets=secrets,
            registry=CreatedWebhooks(paths.data_dir / f"{slug}-webhooks.json"),
            register_local=sandbox is not None,
        )
        return cls(
            paths=paths,
            bus=bus,
            db=db,
            client=client,
            messaging=messaging,
            sync=sync,
            # Whatever arrived while webhooks could not reach us is fetched on every reconnect.
            reconnect=BackfillOnReconnect(bus, sync),
            connectivity=connectivity,
            inspector=inspector,
            listener=listener,
            prober=AttachmentProber(transport=_pooled_transport),
            http=http,
            sandbox=sandbox,
            account_label=label,
        )

    def start(self) -> None:
        """Start sending, receiving and syncing in the background. Failures are never raised: a
        store failure is published as `StoreFailure` (the status bar shows it), the rest logged."""
        if self.db.read_only:
            log.info("read-only database: the outbox is not started")  # it could claim nothing
        else:
            self._spawn(self.messaging.start(), "the outbox")
        self._spawn(self._connect_then_sync(), "the history")

    async def _connect_then_sync(self) -> None:
        # Webhooks first, so nothing that arrives during the sync is lost.
        await self.connectivity.start()
        await self.sync.start()

    def _spawn(self, coro: Coroutine[Any, Any, Any], what: str) -> None:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)

        def done(t: asyncio.Task[Any]) -> None:
            self._tasks.discard(t)
            error = None if t.cancelled() else t.exception()
            if isinstance(error, StoreError):
                log.warning("could not save %s: %s", what, error.kind)
                self.bus.publish(StoreFailure(error, what))
            elif isinstance(error, BlooioError):
                log.warning("%s failed: %s", what, error)
            elif error is not None:
                log.error("%s failed", what, exc_info=error)

        task.add_done_callback(done)

    async def close(self) -> None:
        """Stop in reverse order; each step is attempted even if an earlier one failed."""
        for task in list(self._tasks):
            task.cancel()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        steps: list[Coroutine[Any, Any, Any]] = [
            self.reconnect.close(),
            self.connectivity.stop(),  # deletes the webhook this app registered
            self.messaging.stop(),
            self.inspector.aclose(),
            self.prober.aclose(),
            self.client.aclose(),
            self.http.aclose(),
        ]
        for step in steps:
            try:
                await step
            except Exception:
                log.exception("shutdown step failed")
        self.db.close()
        if self.sandbox is not None:
            await self.sandbox.stop()


def database_path(paths: AppPaths, account: AccountConfig | None) -> Path:
    """The message database of `account` (None: the sandbox's)."""
    return paths.database_file(SANDBOX_SLUG if account is None else account.slug)


def _tunnel(settings: Settings, secrets: SecretStore) -> TunnelProvider:
    """The tunnel the settings ask for; a missing keyring only means no ngrok authtoken."""
    try:
        token = secrets.ngrok_authtoken() if settings.tunnel_provider == "ngrok" else None
    except CredentialError as exc:
        log.warning("ngrok authtoken unavailable: %s", exc)
        token = None
    kind = (
        settings.external_url
        if settings.tunnel_provider == "external"
        else settings.tunnel_provider
    )
    try:
        return create_tunnel(
            kind or "none",
            authtoken=token,
            region=settings.ngrok_region,
            ngrok_path=settings.ngrok_path,
        )
    except BlooioError as exc:
        log.warning("tunnel disabled: %s", exc)
        return NoTunnel()


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The CA bundle (~30 ms to load), once per process, for the services' client and the
    attachment prober, when the first of them makes a request: after the window has painted."""
    import httpx

    return httpx.create_ssl_context()


def _pooled_transport() -> httpx.AsyncBaseTransport:
    import httpx

    return httpx.AsyncHTTPTransport(verify=_tls_context())


def _services_client() -> httpx.AsyncClient:
    import httpx

    return httpx.AsyncClient(timeout=15.0, transport=_pooled_transport())
