"""Fault injection on the wire: 5xx, 429 + Retry-After, latency, connection resets, accept-then-hang.

Configured by `PUT /_sandbox/faults` (the whole config is replaced; omitted keys go back to off). The
middleware applies only to `/v2/api` routes, never to the `/_sandbox/` control endpoints, so a test
can always read counters or switch faults off.
"""

from __future__ import annotations

import asyncio
import random
import re
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from aiohttp import web

from blooio_desktop.sandbox.counters import Counters
from blooio_desktop.sandbox.http import ApiFailure, error_response

API_PREFIX = "/v2/api"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
_RATES = (
    "error_rate",
    "rate_limit_rate",
    "reset_rate",
    "accept_then_timeout_rate",
    "webhook_duplicate_rate",
)


@dataclass
class FaultConfig:
    error_rate: float = 0.0
    error_statuses: list[int] = field(default_factory=lambda: [500, 502, 504])
    rate_limit_rate: float = 0.0
    rate_limit_retry_after: float = 1
    reset_rate: float = 0.0
    accept_then_timeout_rate: float = 0.0
    hang_s: float = 30.0
    latency_ms: float = 0.0
    paths: str | None = None
    methods: list[str] | None = None
    webhook_duplicate_rate: float = 0.0
    webhook_shuffle_ms: float = 0.0
    random_seed: int | None = None

    @classmethod
    def from_json(cls, data: Any) -> FaultConfig:
        """Validate a PUT body; unknown keys and out-of-range rates are a 400 with the reason."""
        if not isinstance(data, dict):
            raise ApiFailure(400, "Fault config must be a JSON object.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ApiFailure(400, f"Unknown fault setting(s): {', '.join(unknown)}.")
        try:
            cfg = cls(**data)
        except TypeError as exc:
            raise ApiFailure(400, f"Bad fault config: {exc}") from None
        for name in _RATES:
            value = getattr(cfg, name)
            if not isinstance(value, int | float) or not 0 <= value <= 1:
                raise ApiFailure(400, f"'{name}' must be a number between 0 and 1.")
        if cfg.paths is not None:
            try:
                re.compile(cfg.paths)
            except re.error as exc:
                raise ApiFailure(400, f"'paths' is not a valid regular expression: {exc}") from None
        return cfg

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


class FaultInjector:
    """Holds the current config and a seeded RNG; decides, per request, which fault fires."""

    def __init__(self, counters: Counters) -> None:
        self.counters = counters
        self.config = FaultConfig()
        self.rng = random.Random()

    def configure(self, config: FaultConfig) -> None:
        self.config = config
        self.rng = random.Random(config.random_seed)

    def roll(self, rate: float) -> bool:
        return rate > 0 and self.rng.random() < rate

    def _applies(self, request: web.Request) -> bool:
        cfg = self.config
        if cfg.methods and request.method.upper() not in {m.upper() for m in cfg.methods}:
            return False
        return cfg.paths is None or re.search(cfg.paths, request.path) is not None

    def _count(self, kind: str) -> None:
        self.counters.faults[kind] += 1

    @web.middleware
    async def middleware(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not request.path.startswith(API_PREFIX):
            return await handler(request)
        self.counters.requests += 1
        if not self._applies(request):
            return await handler(request)
        cfg = self.config
        if cfg.latency_ms > 0:
            self._count("latency")
            await asyncio.sleep(cfg.latency_ms / 1000)
        if self.roll(cfg.reset_rate):
            self._count("reset")
            return _drop_connection(request)
        if self.roll(cfg.rate_limit_rate):
            self._count("rate_limit")
            retry_after = f"{cfg.rate_limit_retry_after:g}"
            return error_response(
                429, "Too many requests, slow down.", {"Retry-After": retry_after}
            )
        if self.roll(cfg.error_rate):
            self._count("error")
            status = self.rng.choice(cfg.error_statuses or [500])
            return error_response(status, "Injected server error (sandbox fault injection).")
        hang = self.roll(cfg.accept_then_timeout_rate)
        response = await handler(request)
        if hang:
            self._count("accept_then_timeout")
            await asyncio.sleep(cfg.hang_s)
            return _drop_connection(request)
        return response


def _drop_connection(request: web.Request) -> web.StreamResponse:
    """Abort the TCP connection so the client sees a reset, not an HTTP answer."""
    if request.transport is not None:
        request.transport.abort()
    raise asyncio.CancelledError  # stops aiohttp from writing a response on the dead socket
