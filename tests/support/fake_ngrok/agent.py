"""A stand-in for the ngrok v3 agent, speaking the CLI and local API that pyngrok drives.

Implements: `ngrok --version` / `version`, `ngrok config add-authtoken TOKEN [--config P]`,
`ngrok config check`, and `ngrok start --none --log stdout [--config P] [--authtoken T] [--region R]`,
which logs the logfmt lines pyngrok waits for and serves `GET|POST /api/tunnels|endpoints` and
`GET|DELETE /api/tunnels|endpoints/<name>`. Every tunnel's `public_url` is a real TCP forwarder on
127.0.0.1 to the requested upstream, so requests really travel through it.

Not in ngrok: `POST /_fake/reconnect` moves every tunnel to a new public URL (a new forwarder port,
the old one closed), as a real agent does when it reconnects without a reserved domain.

`FAKE_NGROK_MODE` makes the session fail the way ngrok does: `bad-authtoken` (ERR_NGROK_105),
`limit` (ERR_NGROK_108); with no authtoken at all the agent fails with ERR_NGROK_4018.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
import uuid
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import yaml
from aiohttp import web

VERSION = "3.19.1"
ERRORS = {
    "bad-authtoken": (
        "authentication failed: The authtoken you specified does not look like a proper ngrok "
        "tunnel authtoken.\\n\\nYour authtoken: {token}\\n\\nERR_NGROK_105"
    ),
    "limit": (
        "authentication failed: Your account is limited to 1 simultaneous ngrok agent sessions."
        "\\n\\nERR_NGROK_108"
    ),
    "no-authtoken": (
        "authentication failed: Usage of ngrok requires a verified account and authtoken."
        "\\n\\nERR_NGROK_4018"
    ),
}


def log(lvl: str, msg: str, **fields: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    extra = "".join(f" {k}={v}" for k, v in fields.items())
    sys.stdout.write(f't={stamp} lvl={lvl} msg="{msg}"{extra}\n')
    sys.stdout.flush()


def option(args: list[str], name: str) -> str | None:
    if name in args:
        index = args.index(name)
        if index + 1 < len(args):
            return args[index + 1]
    return None


def read_config(path: str | None) -> dict[str, Any]:
    if not path or not Path(path).exists():
        return {}
    data = yaml.safe_load(Path(path).read_text()) or {}
    return data if isinstance(data, dict) else {}


def add_authtoken(args: list[str]) -> int:
    token = args[2] if len(args) > 2 else ""
    path = option(args, "--config") or str(Path.home() / ".config/ngrok/ngrok.yml")
    config = read_config(path)
    config.setdefault("version", "3")
    config.setdefault("agent", {})["authtoken"] = token
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(yaml.safe_dump(config))
    print(f"Authtoken saved to configuration file: {path}")
    return 0


class Forwarder:
    """One tunnel: a TCP listener on 127.0.0.1 that pipes every connection to the upstream."""

    def __init__(self, name: str, upstream: str, v3: bool) -> None:
        self.name = name
        self.upstream = upstream
        self.v3 = v3
        self.server: asyncio.Server | None = None
        self.public_url = ""

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._pipe, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        self.public_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()

    async def reconnect(self) -> None:
        old = self.server
        await self.start()
        if old is not None:
            old.close()

    def _target(self) -> tuple[str, int]:
        url = self.upstream if "://" in self.upstream else f"http://localhost:{self.upstream}"
        parts = urlsplit(url)
        host = parts.hostname or "127.0.0.1"
        return ("127.0.0.1" if host == "localhost" else host), parts.port or 80

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self._target())
        except OSError:
            writer.write(
                b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            )
            writer.close()
            return

        async def copy(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            with contextlib.suppress(OSError, RuntimeError):
                dst.write_eof()

        await asyncio.gather(copy(reader, up_writer), copy(up_reader, writer))
        writer.close()
        up_writer.close()

    def describe(self) -> dict[str, Any]:
        base = "endpoints" if self.v3 else "tunnels"
        data: dict[str, Any] = {
            "ID": uuid.uuid5(uuid.NAMESPACE_URL, self.public_url).hex,
            "name": self.name,
            "uri": f"/api/{base}/{quote(self.name, safe='')}",
            "public_url": self.public_url,
            "proto": "https",
            "metrics": {},
        }
        if self.v3:
            data.update(
                {"id": data["ID"], "url": self.public_url, "upstream": {"url": self.upstream}}
            )
        else:
            data["config"] = {"addr": self.upstream, "inspect": True}
        return data


def build_api(tunnels: dict[str, Forwarder]) -> web.Application:
    async def listing(request: web.Request) -> web.Response:
        key = request.match_info["kind"]
        return web.json_response(
            {key: [t.describe() for t in tunnels.values()], "uri": f"/api/{key}"}
        )

    async def create(request: web.Request) -> web.Response:
        v3 = request.match_info["kind"] == "endpoints"
        body = await request.json()
        name = str(body.get("name") or uuid.uuid4())
        upstream = (body.get("upstream") or {}).get("url") if v3 else body.get("addr")
        if not upstream:
            return web.json_response(
                {"error_code": 102, "msg": "invalid tunnel configuration"}, status=400
            )
        forwarder = Forwarder(name, str(upstream), v3)
        await forwarder.start()
        tunnels[name] = forwarder
        log(
            "info",
            "started tunnel",
            obj="tunnels",
            name=name,
            addr=str(upstream),
            url=forwarder.public_url,
        )
        return web.json_response(forwarder.describe(), status=201)

    async def one(request: web.Request) -> web.Response:
        tunnel = tunnels.get(request.match_info["name"])
        if tunnel is None:
            return web.json_response({"error_code": 100, "msg": "tunnel not found"}, status=404)
        if request.method == "DELETE":
            await tunnels.pop(tunnel.name).stop()
            return web.Response(status=204)
        return web.json_response(tunnel.describe())

    async def reconnect(request: web.Request) -> web.Response:
        for tunnel in tunnels.values():
            await tunnel.reconnect()
            log("info", "tunnel moved", obj="tunnels", name=tunnel.name, url=tunnel.public_url)
        return web.json_response({"tunnels": [t.describe() for t in tunnels.values()]})

    app = web.Application()
    app.router.add_post("/_fake/reconnect", reconnect)
    app.router.add_get("/api/{kind:tunnels|endpoints}", listing)
    app.router.add_post("/api/{kind:tunnels|endpoints}", create)
    app.router.add_route("GET", "/api/{kind:tunnels|endpoints}/{name:.+}", one)
    app.router.add_route("DELETE", "/api/{kind:tunnels|endpoints}/{name:.+}", one)
    return app


async def serve(args: list[str]) -> int:
    config = read_config(option(args, "--config"))
    agent = config.get("agent") or {}
    token = option(args, "--authtoken") or agent.get("authtoken") or config.get("authtoken")
    mode = os.environ.get("FAKE_NGROK_MODE", "ok")
    if mode == "ok" and not token:
        mode = "no-authtoken"
    tunnels: dict[str, Forwarder] = {}
    runner = web.AppRunner(build_api(tunnels), handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    log(
        "info",
        "no configuration paths supplied" if not option(args, "--config") else "open config file",
    )
    log("info", "starting web service", obj="web", addr=f"127.0.0.1:{port}", allow_hosts="[]")
    if mode in ERRORS:
        error = ERRORS[mode].format(token=token or "")
        log("eror", "failed to reconnect session", obj="tunnels.session", err=f'"{error}"')
        log("crit", "command failed", err=f'"{error}"')
        await runner.cleanup()
        return 1
    region = option(args, "--region") or "us"
    log("info", "client session established", obj="tunnels.session", region=region)
    log("info", "tunnel session started", obj="tunnels.session")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    for tunnel in tunnels.values():
        await tunnel.stop()
    await runner.cleanup()
    return 0


def main(args: list[str]) -> int:
    if not args or args[0] in ("--version", "version", "-v"):
        print(f"ngrok version {VERSION}")
        return 0
    if args[:2] == ["config", "add-authtoken"]:
        return add_authtoken(args)
    if args[:2] == ["config", "check"]:
        print(f"Valid configuration file at {option(args, '--config')}")
        return 0
    if args[0] == "start":
        return asyncio.run(serve(args))
    print(f"ERROR:  unknown command {args[0]!r} (stand-in agent)", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
