"""`blooio-desktop listen` as a real process: ready line, one line per delivery, forward-to, clean
exit on SIGINT/SIGTERM, and a clear message when something is missing."""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from aiohttp import web

from blooio_desktop.webhook.outgoing import webhook_headers
from blooio_desktop.webhook.signature import verify
from tests.support.cli_process import read_json_line, run_to_end, spawn
from tests.support.fake_ngrok import install_fake_ngrok
from tests.support.local_server import serve_app

SECRET = "whsec_cli_listen_secret"
BODY = b'{"event":"message.received","message_id":"cli-1","text":"hi","timestamp":1735689601474}'


@pytest.fixture
async def receiver() -> AsyncIterator[tuple[str, list[str]]]:
    seen: list[str] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        seen.append(verify(SECRET, request.headers.get("X-Blooio-Signature"), body).value)
        return web.json_response({"ok": True})

    app = web.Application()
    app.router.add_post("/local", hook)
    async with serve_app(app) as base_url:
        yield f"{base_url}/local", seen


async def test_prints_ready_then_one_line_per_delivery_and_forwards(
    receiver: tuple[str, list[str]],
) -> None:
    target, seen = receiver
    proc = await spawn(
        "listen",
        "--port",
        "0",
        "--forward-to",
        target,
        env={**os.environ, "BLOOIO_WEBHOOK_SECRET": SECRET},
    )
    try:
        ready = await read_json_line(proc)
        assert ready["public_url"] is None and ready["url"].endswith("/webhooks/blooio")
        async with httpx.AsyncClient() as http:
            ok = await http.post(ready["url"], content=BODY, headers=webhook_headers(BODY, SECRET))
            bad = await http.post(
                ready["url"], content=BODY, headers=webhook_headers(BODY, SECRET, mode="bad")
            )
        assert (ok.status_code, bad.status_code) == (200, 401)
        first, second = await read_json_line(proc), await read_json_line(proc)
        assert first == {
            "verdict": "valid",
            "event": "message.received",
            "message_id": "cli-1",
            "status": 200,
        }
        assert (second["verdict"], second["status"]) == ("invalid", 401)
        for _ in range(200):
            if seen:
                break
            await asyncio.sleep(0.05)
        assert seen == ["valid"]  # forwarded once (the forged one never), re-signed with the secret
    finally:
        proc.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(proc.wait(), 15) == 0


async def test_tunnel_through_the_stand_in_ngrok(tmp_path: Path) -> None:
    ngrok = install_fake_ngrok(tmp_path / "bin")
    env = {**os.environ, "BLOOIO_WEBHOOK_SECRET": SECRET, "NGROK_AUTHTOKEN": "test-token"}
    proc = await spawn("listen", "--tunnel", "ngrok", "--ngrok-path", str(ngrok), env=env)
    try:
        ready = await read_json_line(proc)
        assert ready["public_url"] and ready["public_url"] != ready["url"]
        async with httpx.AsyncClient() as http:
            res = await http.post(
                ready["public_url"], content=BODY, headers=webhook_headers(BODY, SECRET)
            )
        assert res.status_code == 200
        assert (await read_json_line(proc))["verdict"] == "valid"
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 15) == 0


async def test_missing_secret_is_a_clear_error() -> None:
    code, out, err = await run_to_end("listen")
    assert code == 2 and out == ""
    assert "BLOOIO_WEBHOOK_SECRET" in err and "Traceback" not in err


async def test_unknown_tunnel_is_a_clear_error() -> None:
    code, _, err = await run_to_end("listen", "--secret", SECRET, "--tunnel", "wormhole")
    assert code == 2 and "unknown tunnel" in err and SECRET not in err


async def test_tunnel_failure_still_listens_locally_and_says_why(tmp_path: Path) -> None:
    ngrok = install_fake_ngrok(tmp_path / "bin")
    env = {**os.environ, "BLOOIO_WEBHOOK_SECRET": SECRET, "NGROK_AUTHTOKEN": "test-token"}
    env["FAKE_NGROK_MODE"] = "bad-authtoken"
    proc = await spawn("listen", "--tunnel", "ngrok", "--ngrok-path", str(ngrok), env=env)
    try:
        ready = await read_json_line(proc)
        assert ready["public_url"] is None
        async with httpx.AsyncClient() as http:
            res = await http.post(ready["url"], content=BODY, headers=webhook_headers(BODY, SECRET))
        assert res.status_code == 200
    finally:
        proc.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(proc.wait(), 15) == 0
    assert proc.stderr is not None
    err = (await proc.stderr.read()).decode()
    assert "rejected the authtoken" in err and "test-token" not in err
