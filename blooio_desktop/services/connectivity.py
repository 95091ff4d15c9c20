"""Connectivity: listener up → tunnel up → webhook registered with Blooio → verified.

A small state machine the status bar shows. Every transition is published on the bus as a
`ConnectivityState`. Failures never raise out of `start()`: they become `degraded` with a reason and
a next step, and the app keeps working (sync/backfill covers the gap).

Verification works the same against the sandbox and the real API: right after registering, the app
POSTs a signed `desktop.ping` to the public URL it registered. A 200 proves that the URL reaches this
listener and that the stored signing secret verifies. (Blooio has no "send a test event" call in v2.)
The first valid delivery from Blooio also counts, should the tunnel refuse hairpin requests.

Only webhooks this app created (listed in `CreatedWebhooks`) are ever deleted or deprecated.

Once started, a `TunnelWatchdog` calls `supervise()` every few seconds: when the tunnel died (e.g. the
ngrok agent exited) the state turns degraded and the tunnel is restarted, with backoff while that
fails; when the tunnel's public URL changed, the new URL is registered as on any restart. Public
operations are serialized, so a watchdog step never interleaves with a user's restart or the exit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Protocol

from blooio_desktop.core.errors import ApiError, BlooioError, TunnelError
from blooio_desktop.core.models import Webhook, WebhookDelivery
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.http_client import Poster
from blooio_desktop.services.tunnel_watchdog import DEFAULT_INTERVAL_S, TunnelWatchdog
from blooio_desktop.services.webhook_registry import CreatedWebhooks, OwnedWebhooks, WebhookSecrets
from blooio_desktop.tunnel.base import TunnelProvider
from blooio_desktop.webhook.listener import WebhookListener
from blooio_desktop.webhook.outgoing import self_test_webhook
from blooio_desktop.webhook.signature import Verdict

log = logging.getLogger(__name__)

HINT_REGISTER = "check the API key and the network in Settings; missed messages are backfilled"
HINT_FOREIGN = (
    "that URL is already registered by something else, so its signing secret is unknown: "
    "delete that webhook in the Blooio dashboard or change the listener path"
)
REASON_TUNNEL_LOST = "the tunnel stopped"
HINT_TUNNEL_LOST = "restarting it automatically; missed messages are backfilled meanwhile"


class Phase(StrEnum):
    STOPPED = "stopped"
    LISTENER_UP = "listener_up"
    TUNNEL_UP = "tunnel_up"
    REGISTERED = "registered"
    VERIFIED = "verified"
    DEGRADED = "degraded"


@dataclass(frozen=True, slots=True)
class ConnectivityState:
    phase: Phase
    local_url: str | None = None
    public_url: str | None = None
    webhook_id: str | None = None
    reason: str | None = None
    hint: str | None = None


class WebhookApi(Protocol):
    """The slice of `BlooioClient` this service uses."""

    @property
    def base_url(self) -> str: ...
    async def create_webhook(
        self, url: str, webhook_type: str = "all", valid_until: int | None = None
    ) -> Webhook: ...
    async def update_webhook(
        self, webhook_id: str, *, deprecate: bool | None = None
    ) -> Webhook: ...
    async def delete_webhook(self, webhook_id: str) -> None: ...


@dataclass(frozen=True, slots=True)
class _Registration:
    webhook_id: str
    url: str
    secret: str = ""

    def __repr__(self) -> str:
        return f"_Registration({self.webhook_id!r}, {self.url!r})"


class ConnectivityService:
    def __init__(
        self,
        *,
        listener: WebhookListener,
        tunnel: TunnelProvider,
        bus: EventBus,
        http: Poster,
        client: WebhookApi | None = None,
        secrets: WebhookSecrets | None = None,
        registry: CreatedWebhooks | None = None,
        register_local: bool = False,
        on_exit: str = "delete",
        extra_secrets: Sequence[str] = (),
        watchdog_interval: float | None = DEFAULT_INTERVAL_S,
    ) -> None:
        """`watchdog_interval`: seconds between tunnel health checks once started (None: never)."""
        self._listener = listener
        self._tunnel = tunnel
        self._bus = bus
        self._http = http
        self._client = client
        self._owned = OwnedWebhooks(client.base_url if client else "", registry, secrets)
        self._register_local = register_local
        self._on_exit = on_exit
        self._extra = tuple(extra_secrets)
        self._current: _Registration | None = None
        self._previous: list[_Registration] = []
        self._state = ConnectivityState(Phase.STOPPED)
        self._lock = asyncio.Lock()
        self._watchdog = (
            TunnelWatchdog(self.supervise, interval=watchdog_interval)
            if watchdog_interval is not None
            else None
        )

    @property
    def state(self) -> ConnectivityState:
        return self._state

    def signing_secrets(self) -> list[str]:
        """For the listener: the current secret, any still switching over, then fixed extras."""
        regs = [self._current, *self._previous] if self._current else self._previous
        return [r.secret for r in regs if r and r.secret] + list(self._extra)

    async def start(self) -> ConnectivityState:
        """Bring everything up and start supervising; calling it again retries whatever is degraded."""
        async with self._lock:
            state = await self._start()
        if self._watchdog is not None:
            self._watchdog.start()
        return state

    async def restart_tunnel(self, tunnel: TunnelProvider | None = None) -> ConnectivityState:
        """Restart the tunnel (or switch to `tunnel`, e.g. after a settings change). If the public
        URL changed, register the new one, move to its secret, and delete the old webhook."""
        async with self._lock:
            return await self._restart(tunnel)

    async def stop(self) -> None:
        """Stop supervising, delete (or deprecate) the webhook this app created, then close the
        tunnel and listener."""
        if self._watchdog is not None:
            await self._watchdog.stop()
        async with self._lock:
            if self._current is not None:
                await self._retire(self._current, deprecate=self._on_exit == "deprecate")
                self._current = None
            await self._tunnel.stop()
            await self._listener.stop()
            self._set(Phase.STOPPED, local_url=None, public_url=None, webhook_id=None)

    async def supervise(self) -> bool:
        """One watchdog step; True when all is well. Retries a degraded state; notices a tunnel that
        died (→ degraded, restarted) or whose public URL changed (→ the new URL is registered)."""
        async with self._lock:
            if self._state.phase == Phase.STOPPED:
                return True
            if self._state.phase == Phase.DEGRADED:
                return (await self._start()).phase != Phase.DEGRADED
            live = await self._tunnel.current_url()
            if live == self._state.public_url:
                return True
            if live is None:
                status = self._tunnel.status
                reason = status.message or REASON_TUNNEL_LOST
                self._set(Phase.DEGRADED, public_url=None, reason=reason, hint=HINT_TUNNEL_LOST)
                state = await self._restart(None)
            else:
                self._set(Phase.TUNNEL_UP, public_url=live, reason=None, hint=None)
                state = await self._move_to(live)
            return state.phase != Phase.DEGRADED

    def observe(self, delivery: WebhookDelivery) -> None:
        """Listener `on_delivery` hook: the first valid delivery also proves the path works."""
        if self._state.phase == Phase.REGISTERED and delivery.verdict == Verdict.VALID.value:
            self._set(Phase.VERIFIED, reason=None, hint=None)

    # --- steps (called with the lock held) ---

    async def _start(self) -> ConnectivityState:
        if self._listener.running:
            return await self._restart(None)
        try:
            local = await self._listener.start()
        except OSError as exc:
            hint = "another program uses that port: pick another listener port in Settings"
            return self._set(
                Phase.DEGRADED, reason=f"webhook listener failed: {exc.strerror}", hint=hint
            )
        self._set(Phase.LISTENER_UP, local_url=local)
        target = await self._start_tunnel(local)
        if target is None or self._client is None:
            return self._state
        await self._cleanup_leftovers()
        if await self._register(target):
            await self._verify()
        return self._state

    async def _restart(self, tunnel: TunnelProvider | None) -> ConnectivityState:
        if not self._listener.running or self._state.local_url is None:
            if tunnel is not None:
                self._tunnel = tunnel
            return await self._start()
        await self._tunnel.stop()
        if tunnel is not None:
            self._tunnel = tunnel
        return await self._move_to(await self._start_tunnel(self._state.local_url))

    async def _move_to(self, target: str | None) -> ConnectivityState:
        """Register `target` unless it is already the registered URL, then retire the old webhook."""
        old, self._current = self._current, None
        if old is not None and old.url == target:
            self._current = old
            return self._set(Phase.VERIFIED, webhook_id=old.webhook_id)
        if old is not None:
            self._previous.append(old)  # deliveries signed with it may still be in flight
        else:
            await self._cleanup_leftovers()
        if target is not None and self._client is not None and await self._register(target):
            await self._verify()
        if old is not None:
            await self._retire(old)
            self._previous.remove(old)
        if self._current is None:
            self._set(self._state.phase, webhook_id=None)
        return self._state

    async def _start_tunnel(self, local: str) -> str | None:
        try:
            public = await self._tunnel.start(local)
        except TunnelError as exc:
            self._set(Phase.DEGRADED, public_url=None, reason=exc.message, hint=exc.hint)
            return None
        if public is not None:
            self._set(Phase.TUNNEL_UP, public_url=public, reason=None, hint=None)
            return public
        return local if self._register_local else None

    async def _register(self, url: str) -> bool:
        assert self._client is not None
        try:
            webhook = await self._client.create_webhook(url, "all")
        except BlooioError as exc:
            self._set(
                Phase.DEGRADED, reason=f"could not register the webhook: {exc}", hint=HINT_REGISTER
            )
            return False
        registration = _Registration(webhook.webhook_id, url, webhook.signing_secret or "")
        if webhook.signing_secret:
            self._owned.remember(webhook.webhook_id, url, webhook.signing_secret, time.time())
        else:
            registration = replace(registration, secret=self._owned.secret_of(webhook.webhook_id))
        if not registration.secret:
            self._set(
                Phase.DEGRADED,
                reason=f"{url} is registered without a known secret",
                hint=HINT_FOREIGN,
            )
            return False
        self._current = registration
        self._set(Phase.REGISTERED, webhook_id=registration.webhook_id, reason=None, hint=None)
        return True

    async def _verify(self) -> None:
        import httpx  # loaded with the client's first request

        assert self._current is not None
        body, headers = self_test_webhook(self._current.secret)
        try:
            response = await self._http.post(
                self._current.url, content=body, headers=headers, timeout=15
            )
        except httpx.HTTPError as exc:
            reason = f"self-test could not reach {self._current.url} ({type(exc).__name__}); waiting for a delivery"
            self._set(Phase.REGISTERED, reason=reason)
            return
        if response.status_code == 200:
            self._set(Phase.VERIFIED, reason=None, hint=None)
        else:
            reason = f"self-test through {self._current.url} got HTTP {response.status_code}"
            self._set(
                Phase.REGISTERED,
                reason=reason,
                hint="check that the tunnel forwards to this listener",
            )

    async def _cleanup_leftovers(self) -> None:
        """Delete webhooks a previous run created and could not remove (crash, no network)."""
        if self._client is None:
            return
        for leftover in self._owned.leftovers():
            await self._retire(_Registration(leftover.webhook_id, leftover.url))

    async def _retire(self, registration: _Registration, *, deprecate: bool = False) -> None:
        assert self._client is not None
        try:
            if deprecate:
                await self._client.update_webhook(registration.webhook_id, deprecate=True)
                return  # stays listed: the next start deletes it
            await self._client.delete_webhook(registration.webhook_id)
        except ApiError as exc:
            if not exc.is_not_found:
                log.warning("could not remove webhook %s: %s", registration.webhook_id, exc)
                return
        except BlooioError as exc:
            log.warning("could not remove webhook %s: %s", registration.webhook_id, exc)
            return
        self._owned.forget(registration.webhook_id)

    def _set(self, phase: Phase, **changes: str | None) -> ConnectivityState:
        new = replace(self._state, phase=phase, **changes)
        if new != self._state:
            self._state = new
            self._bus.publish(new)
        return self._state
