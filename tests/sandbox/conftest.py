"""In-process sandbox, an authorised httpx client and a local webhook receiver for sandbox tests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web

from blooio_desktop.sandbox import SandboxServer


async def wait_until(condition: Callable[[], Any], timeout: float = 5.0) -> Any:
    """Poll `condition` until it returns something truthy (never assert on wall-clock time)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = condition()
        if result:
            return result
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.body)
        return result


@dataclass
class Receiver:
    """A webhook listener on 127.0.0.1; answers with `statuses` in turn (then 200)."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append(Received(dict(request.headers), await request.read()))
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response({"ok": status < 300}, status=status)

    def events(self, name: str | None = None) -> list[dict[str, Any]]:
        return [r.json for r in self.received if name is None or r.json["event"] == name]


@pytest.fixture
async def server() -> AsyncIterator[SandboxServer]:
    srv = SandboxServer(seed=False, speed=100)
    await srv.start()
    yield srv
    await srv.stop()


@pytest.fixture
async def http(server: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    headers = {"Authorization": f"Bearer {server.api_key}"}
    async with httpx.AsyncClient(base_url=server.base_url + "/", headers=headers) as client:
        yield client


@pytest.fixture
async def control(server: SandboxServer) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=server.root_url + "/_sandbox/") as client:
        yield client


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    rec = Receiver()
    app = web.Application()
    app.router.add_post("/hook", rec.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    rec.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield rec
    await runner.cleanup()
