"""The sandbox's runtime: state, counters, faults, world and delivery wired together for the routes.

Routes reach it as `request.app[CTX]`. `reset()` swaps in fresh state and counters; delivery and the
world read them through callables, so nothing keeps a stale reference.
"""

from __future__ import annotations

from aiohttp import web

from blooio_desktop.sandbox import seed as seeding
from blooio_desktop.sandbox.counters import Counters
from blooio_desktop.sandbox.delivery import WebhookDelivery
from blooio_desktop.sandbox.faults import FaultConfig, FaultInjector
from blooio_desktop.sandbox.state import SandboxState
from blooio_desktop.sandbox.world import World, WorldSettings


class SandboxContext:
    def __init__(self, api_key: str, speed: float) -> None:
        self.api_key = api_key
        self.default_speed = speed
        self.state = SandboxState()
        self.counters = Counters()
        self.faults = FaultInjector(self.counters)
        self.delivery = WebhookDelivery(
            lambda: self.state,
            lambda: self.counters,
            self.faults,
            lambda: self.world.settings.speed,
        )
        self.world = World(
            lambda: self.state, self.delivery, WorldSettings(speed=speed), self.touch
        )
        self.dirty = False

    def touch(self) -> None:
        """Something changed: persistence (if any) writes a snapshot soon."""
        self.dirty = True

    def reset(self, *, seed: bool) -> None:
        """Wipe everything back to a fresh server (optionally with the demo data set)."""
        self.world.reset(WorldSettings(speed=self.default_speed))
        self.delivery.reset()
        self.state = seeding.demo_state() if seed else SandboxState()
        self.counters = Counters()
        self.faults.counters = self.counters
        self.faults.configure(FaultConfig())
        self.touch()


CTX = web.AppKey("sandbox_context", SandboxContext)
