"""Forward-to against a local receiver: per-target filters, re-signing, failures recorded not raised."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from aiohttp import web

from blooio_desktop.config.settings import ForwardTarget
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.services.forwarding import Forwarder
from blooio_desktop.webhook.signature import Verdict, verify
from tests.support.local_server import serve_app

SECRET = "whsec_forward_secret"
BODY = json.dumps({"event": "message.sent", "message_id": "m1"}).encode()


def delivery(event: str = "message.sent") -> WebhookDelivery:
    return WebhookDelivery(
        id=7, received_at=time.time(), method="POST", path="/webhooks/blooio", headers=(), body=BODY,
        verdict="valid", response_status=200, event=event, message_id="m1",
    )  # fmt: skip


@pytest.fixture
async def target() -> AsyncIterator[tuple[str, list[tuple[bytes, Verdict, str]]]]:
    seen: list[tuple[bytes, Verdict, str]] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        seen.append(
            (
                body,
                verify(SECRET, request.headers["X-Blooio-Signature"], body),
                request.headers["X-Blooio-Event"],
            )
        )
        return web.Response(status=204)

    async def slow(request: web.Request) -> web.Response:
        await request.read()
        raise web.HTTPServiceUnavailable()

    app = web.Application()
    app.router.add_post("/hook", hook)
    app.router.add_post("/down", slow)
    async with serve_app(app) as base_url:
        yield base_url, seen


async def test_forwarded_body_is_identical_and_re_signed(
    target: tuple[str, list[tuple[bytes, Verdict, str]]],
) -> None:
    base, seen = target
    async with httpx.AsyncClient() as http:
        attempts = await Forwarder(http, [ForwardTarget(base + "/hook")], lambda: [SECRET]).forward(
            delivery()
        )
    assert seen == [(BODY, Verdict.VALID, "message.sent")]
    assert [(a.delivery_id, a.status, a.error) for a in attempts] == [(7, 204, None)]


async def test_filters_pick_targets_and_failures_are_recorded(
    target: tuple[str, list[tuple[bytes, Verdict, str]]],
) -> None:
    base, seen = target
    targets = [
        ForwardTarget(base + "/hook", events=("message.reaction",)),
        ForwardTarget(base + "/down"),
        ForwardTarget("http://127.0.0.1:9/refused"),
    ]
    async with httpx.AsyncClient() as http:
        attempts = await Forwarder(http, targets, lambda: [SECRET]).forward(
            delivery("message.sent")
        )
    assert seen == []
    assert {a.target_url: a.status for a in attempts} == {
        base + "/down": 503,
        "http://127.0.0.1:9/refused": None,
    }
    assert next(a for a in attempts if a.status is None).error
