"""ngrok via pyngrok against the stand-in agent: a real tunnel, and every failure a clear next step."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest
from aiohttp import web
from pyngrok import process
from pyngrok.exception import PyngrokNgrokInstallError

from blooio_desktop.core.errors import TunnelError
from blooio_desktop.tunnel import ngrok as ngrok_module
from blooio_desktop.tunnel.base import TunnelState
from blooio_desktop.tunnel.ngrok import NgrokTunnel
from tests.support.fake_ngrok import crash_agent, reconnect_agent

TOKEN = "2abcFakeAuthtoken_for_tests"


async def start_echo() -> tuple[web.AppRunner, str]:
    async def echo(request: web.Request) -> web.Response:
        return web.json_response({"path": request.path, "body": (await request.read()).decode()})

    app = web.Application()
    app.router.add_post("/{tail:.*}", echo)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}/webhooks/blooio"


def make(fake_ngrok: Path, tmp_path: Path, token: str | None = TOKEN) -> NgrokTunnel:
    return NgrokTunnel(authtoken=token, ngrok_path=fake_ngrok, config_path=tmp_path / "ngrok.yml")


async def test_tunnel_forwards_requests_to_the_listener(fake_ngrok: Path, tmp_path: Path) -> None:
    runner, local_url = await start_echo()
    tunnel = make(fake_ngrok, tmp_path)
    try:
        public = await tunnel.start(local_url)
        assert public is not None and public.endswith("/webhooks/blooio") and public != local_url
        assert tunnel.status.state == TunnelState.UP and tunnel.status.public_url == public
        async with httpx.AsyncClient() as client:
            res = await client.post(public, content=b'{"hello": 1}')
        assert res.json() == {"path": "/webhooks/blooio", "body": '{"hello": 1}'}
    finally:
        await tunnel.stop()
        await runner.cleanup()
    stopped = tunnel.status  # a fresh read: mypy would keep the narrowing to UP from above
    assert stopped.state == TunnelState.STOPPED
    with pytest.raises(httpx.ConnectError):
        httpx.post(public, content=b"{}")


async def test_restart_gives_a_new_public_url(fake_ngrok: Path, tmp_path: Path) -> None:
    runner, local_url = await start_echo()
    tunnel = make(fake_ngrok, tmp_path)
    try:
        first = await tunnel.start(local_url)
        assert await tunnel.start(local_url) == first  # idempotent while up
        await tunnel.stop()
        second = await tunnel.start(local_url)
        assert second != first
    finally:
        await tunnel.stop()
        await runner.cleanup()


async def test_current_url_follows_the_agent(fake_ngrok: Path, tmp_path: Path) -> None:
    runner, local_url = await start_echo()
    tunnel = make(fake_ngrok, tmp_path)
    try:
        assert await tunnel.current_url() is None  # not started
        first = await tunnel.start(local_url)
        assert await tunnel.current_url() == first
        reconnect_agent(fake_ngrok, tmp_path / "ngrok.yml")
        moved = await tunnel.current_url()
        assert moved is not None and moved != first and moved.endswith("/webhooks/blooio")
        assert tunnel.status.state == TunnelState.UP and tunnel.status.public_url == moved
        async with httpx.AsyncClient() as client:
            assert (await client.post(moved, content=b"{}")).status_code == 200
        crash_agent(fake_ngrok, tmp_path / "ngrok.yml")
        assert await tunnel.current_url() is None
        lost = tunnel.status
        assert lost.state == TunnelState.FAILED
        assert lost.message == "the ngrok agent exited" and lost.hint
    finally:
        await tunnel.stop()  # after a crash: cleans up without starting another agent
        await runner.cleanup()
    assert not process.is_process_running(str(fake_ngrok))
    assert await tunnel.current_url() is None


@pytest.mark.parametrize(
    ("mode", "token", "hint"),
    [
        ("bad-authtoken", TOKEN, ngrok_module.HINT_AUTHTOKEN),
        ("limit", TOKEN, ngrok_module.HINT_LIMIT),
        ("ok", None, ngrok_module.HINT_NO_AUTHTOKEN),
    ],
)
async def test_agent_failures_become_a_clear_next_step(
    fake_ngrok: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    mode: str,
    token: str | None,
    hint: str,
) -> None:
    monkeypatch.setenv("FAKE_NGROK_MODE", mode)
    caplog.set_level(logging.DEBUG)
    tunnel = make(fake_ngrok, tmp_path, token)
    with pytest.raises(TunnelError) as info:
        await tunnel.start("http://127.0.0.1:9/webhooks/blooio")
    assert info.value.hint == hint
    assert tunnel.status.state == TunnelState.FAILED and tunnel.status.hint == hint
    assert TOKEN not in f"{info.value} {info.value.hint} {tunnel.status} {caplog.text}"
    await tunnel.stop()


async def test_missing_agent_is_not_downloaded_when_not_allowed(tmp_path: Path) -> None:
    tunnel = NgrokTunnel(ngrok_path=tmp_path / "nope" / "ngrok", allow_download=False)
    with pytest.raises(TunnelError) as info:
        await tunnel.start("http://127.0.0.1:9/webhooks/blooio")
    assert info.value.hint == ngrok_module.HINT_INSTALL
    assert not (tmp_path / "nope").exists()


def test_install_failure_translates_to_the_install_hint() -> None:
    error = NgrokTunnel()._translate(PyngrokNgrokInstallError("download failed: no network"))
    assert error.hint == ngrok_module.HINT_INSTALL
