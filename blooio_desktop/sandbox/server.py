"""`SandboxServer`: the aiohttp app (API under /v2/api, controls under /_sandbox) and its lifecycle.

Usable in-process on any running loop (the GUI runs it on the qasync loop) and from the
`blooio-desktop sandbox` command. Middlewares on the API: error bodies → fault injection → auth.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from pathlib import Path

from aiohttp import web

from blooio_desktop.sandbox import (
    control,
    routes_account,
    routes_chats,
    routes_contacts,
    routes_groups,
    routes_messages,
    routes_webhooks,
)
from blooio_desktop.sandbox.context import CTX, SandboxContext
from blooio_desktop.sandbox.faults import API_PREFIX, Handler
from blooio_desktop.sandbox.http import ApiFailure, error_response
from blooio_desktop.sandbox.persistence import SnapshotFile
from blooio_desktop.sandbox.state import SandboxState

log = logging.getLogger(__name__)
CONTROL_PREFIX = "/_sandbox"
AUTOSAVE_S = 0.5


@web.middleware
async def error_bodies(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure answers with the documented JSON error body, never an HTML page or traceback."""
    try:
        return await handler(request)
    except ApiFailure as exc:
        return error_response(exc.status, exc.message, **exc.extra)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        reason = "No such endpoint." if exc.status == 404 else exc.reason
        return error_response(exc.status, f"{reason} ({request.method} {request.path})")
    except Exception:
        log.exception("sandbox handler failed: %s %s", request.method, request.path)
        return error_response(500, "Internal sandbox error.")


@web.middleware
async def auth(request: web.Request, handler: Handler) -> web.StreamResponse:
    expected = f"Bearer {request.app[CTX].api_key}"
    given = request.headers.get("Authorization", "")
    if not secrets.compare_digest(given.encode(), expected.encode()):
        return error_response(401, "Invalid or missing API key")
    return await handler(request)


class SandboxServer:
    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key: str | None = None,
        data_dir: Path | None = None,
        seed: bool = True,
        speed: float = 1.0,
    ) -> None:
        self._host, self._port = host, port
        self._seed = seed
        self.context = SandboxContext(api_key or f"bl_sandbox_{secrets.token_hex(12)}", speed)
        self._snapshot = SnapshotFile(data_dir) if data_dir is not None else None
        self._runner: web.AppRunner | None = None
        self._autosave: asyncio.Task[None] | None = None
        self._bound_port: int | None = None

    def __repr__(self) -> str:
        return f"SandboxServer(root_url={self.root_url!r})"

    @property
    def api_key(self) -> str:
        return self.context.api_key

    @property
    def root_url(self) -> str:
        if self._bound_port is None:
            raise RuntimeError("the sandbox is not started")
        return f"http://{self._host}:{self._bound_port}"

    @property
    def base_url(self) -> str:
        return f"{self.root_url}{API_PREFIX}"

    def build_app(self) -> web.Application:
        ctx = self.context
        api = web.Application(middlewares=[error_bodies, ctx.faults.middleware, auth])
        api[CTX] = ctx
        for module in (
            routes_account,
            routes_contacts,
            routes_chats,
            routes_messages,
            routes_groups,
            routes_webhooks,
        ):
            api.add_routes(module.routes)
        controls = web.Application(middlewares=[error_bodies])
        controls[CTX] = ctx
        controls.add_routes(control.routes)
        root = web.Application(middlewares=[error_bodies])
        root.add_subapp(API_PREFIX, api)
        root.add_subapp(CONTROL_PREFIX, controls)
        return root

    async def start(self) -> None:
        saved = self._snapshot.load() if self._snapshot is not None else None
        self.context.reset(seed=self._seed and saved is None)
        if saved is not None:
            self.context.state = SandboxState.from_snapshot(saved)
        self.context.world.settings.ambient = self._seed  # a demo sandbox feels alive
        await self.context.delivery.start()
        self._runner = web.AppRunner(
            self.build_app(), access_log=None, handler_cancellation=True, shutdown_timeout=1.0
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._host, self._port)
        await site.start()
        self._bound_port = int(self._runner.addresses[0][1])
        if self._snapshot is not None:
            self._autosave = asyncio.get_running_loop().create_task(self._autosave_loop())

    async def stop(self) -> None:
        if self._autosave is not None:
            self._autosave.cancel()
            await asyncio.gather(self._autosave, return_exceptions=True)
            self._autosave = None
        await self.context.world.stop()
        await self.context.delivery.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        self._flush()

    async def _autosave_loop(self) -> None:
        while True:
            await asyncio.sleep(AUTOSAVE_S)
            self._flush()

    def _flush(self) -> None:
        if self._snapshot is not None and self.context.dirty:
            self.context.dirty = False
            self._snapshot.save(self.context.state.to_snapshot())
