"""Hostile input against a running listener: each request gets the right status and verdict, and
only the valid ones reach the app, exactly once."""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import aiohttp
import pytest

from blooio_desktop.webhook.signature import compute_signature, sign, sign_legacy
from tests.webhook.conftest import SECRET, LiveListener

JSON = "application/json"


def body_for(message_id: str, event: str = "message.received", **extra: object) -> bytes:
    payload = {
        "event": event,
        "message_id": message_id,
        "external_id": "+15551234567",
        "internal_id": "+15550001111",
        "protocol": "imessage",
        "timestamp": int(time.time() * 1000),
        "is_group": False,
        "text": "hello",
        "sender": "+15551234567",
        **extra,
    }
    return json.dumps(payload).encode()


@dataclass(frozen=True)
class Case:
    name: str
    body: bytes
    signature: Callable[[bytes], str | None]
    status: int
    verdict: str
    delivered: int
    method: str = "POST"
    path: str = ""
    content_type: str | None = JSON


def now_sig(body: bytes) -> str:
    return sign(SECRET, body)


CASES = [
    Case("valid", body_for("m-valid"), now_sig, 200, "valid", 1),
    Case(
        "forged with another secret",
        body_for("m-forged"),
        lambda b: sign("whsec_other", b),
        401,
        "invalid",
        0,
    ),
    Case(
        "tampered body",
        body_for("m-tampered"),
        lambda b: sign(SECRET, b.replace(b"hello", b"HELLO")),
        401,
        "invalid",
        0,
    ),
    Case(
        "stale",
        body_for("m-stale"),
        lambda b: sign(SECRET, b, timestamp=int(time.time()) - 301),
        401,
        "stale",
        0,
    ),
    Case(
        "future",
        body_for("m-future"),
        lambda b: sign(SECRET, b, timestamp=int(time.time()) + 301),
        401,
        "stale",
        0,
    ),
    Case("missing signature", body_for("m-missing"), lambda b: None, 401, "missing", 0),
    Case("empty signature", body_for("m-empty"), lambda b: "  ", 401, "missing", 0),
    Case("header without t=", body_for("m-no-t"), lambda b: "v1=" + "0" * 64, 400, "malformed", 0),
    Case(
        "non-numeric t=",
        body_for("m-bad-t"),
        lambda b: "t=soon,v1=" + "0" * 64,
        400,
        "malformed",
        0,
    ),
    Case(
        "header without v1=",
        body_for("m-no-v1"),
        lambda b: f"t={int(time.time())}",
        400,
        "malformed",
        0,
    ),
    Case(
        "oversize header",
        body_for("m-huge-h"),
        lambda b: "t=1,v1=" + "a" * 5000,
        400,
        "malformed",
        0,
    ),
    Case(
        "several v1 values, one right, unknown pairs",
        body_for("m-multi"),
        lambda b: (
            f"t={int(time.time())},k=zz,v0=abc,v1={'0' * 64},"
            f"v1={compute_signature(SECRET, int(time.time()), b)}"
        ),
        200,
        "valid",
        1,
    ),
    Case(
        "legacy scheme while disabled",
        body_for("m-legacy-off"),
        lambda b: sign_legacy(SECRET, b),
        400,
        "malformed",
        0,
    ),
    Case(
        "invalid JSON, valid signature",
        b'{"event": "message.received",',
        now_sig,
        400,
        "malformed",
        0,
    ),
    Case("JSON array, valid signature", b"[1, 2, 3]", now_sig, 400, "malformed", 0),
    Case("not UTF-8, valid signature", b"\xff\xfe\x00{", now_sig, 400, "malformed", 0),
    Case(
        "unknown event is recorded, not handed on",
        body_for("m-poll", event="poll.voted"),
        now_sig,
        200,
        "valid",
        0,
    ),
    Case("oversize body", body_for("m-big", text="x" * 70_000), now_sig, 413, "rejected", 0),
    Case(
        "wrong content type",
        body_for("m-text"),
        now_sig,
        415,
        "rejected",
        0,
        content_type="text/plain",
    ),
    Case("no content type", body_for("m-no-ct"), now_sig, 415, "rejected", 0, content_type=None),
    Case("GET", b"", lambda b: None, 405, "rejected", 0, method="GET"),
    Case("PUT", body_for("m-put"), now_sig, 405, "rejected", 0, method="PUT"),
    Case("other path", body_for("m-path"), now_sig, 404, "rejected", 0, path="/admin"),
    Case(
        "charset parameter is fine",
        body_for("m-charset"),
        now_sig,
        200,
        "valid",
        1,
        content_type=JSON + "; charset=utf-8",
    ),
]


async def post(
    live: LiveListener,
    body: bytes,
    signature: str | None,
    *,
    method: str = "POST",
    path: str = "",
    content_type: str | None = JSON,
    extra_headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, object]]:
    headers = dict(extra_headers or {})
    if signature is not None:
        headers["X-Blooio-Signature"] = signature
    if content_type is not None:
        headers["Content-Type"] = content_type
    url = f"http://127.0.0.1:{live.listener.port}{path or live.listener.path}"
    async with (
        aiohttp.ClientSession(skip_auto_headers=["Content-Type"]) as session,
        session.request(method, url, data=body or None, headers=headers) as res,
    ):
        assert res.content_type == JSON
        return res.status, await res.json()


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_hostile_input_gets_the_right_answer(live: LiveListener, case: Case) -> None:
    status, answer = await post(
        live,
        case.body,
        case.signature(case.body),
        method=case.method,
        path=case.path,
        content_type=case.content_type,
    )
    await live.listener.drain()
    assert status == case.status, answer
    assert len(live.events) == case.delivered
    assert [d.verdict for d in live.deliveries] == [case.verdict]
    assert live.deliveries[0].response_status == status
    if status >= 400:
        assert answer["error"] and answer["message"]


async def test_the_same_event_twice_is_handed_on_once(live: LiveListener) -> None:
    body = body_for("m-dup")
    first = await post(live, body, sign(SECRET, body))
    # Blooio retries re-sign with a new timestamp: still the same event for the same message.
    second = await post(live, body, sign(SECRET, body, timestamp=int(time.time()) - 5))
    await live.listener.drain()
    assert first == (200, {"ok": True})
    assert second == (200, {"ok": True, "duplicate": True})
    assert [e.message_id for e in live.events] == ["m-dup"]
    assert [(d.verdict, d.message_id) for d in live.deliveries] == [
        ("valid", "m-dup"),
        ("duplicate", "m-dup"),
    ]


async def test_a_replayed_original_event_is_a_duplicate(live: LiveListener) -> None:
    replay = {"X-Blooio-Replay": "true", "X-Original-Event-Id": "evt_1"}
    a, b = body_for("m-r1"), body_for("m-r2")
    await post(live, a, sign(SECRET, a), extra_headers=replay)
    status, answer = await post(live, b, sign(SECRET, b), extra_headers=replay)
    await live.listener.drain()
    assert (status, answer.get("duplicate")) == (200, True)
    assert len(live.events) == 1


async def test_different_events_for_one_message_all_arrive(live: LiveListener) -> None:
    for event in ("message.sent", "message.delivered", "message.read"):
        body = body_for("m-status", event=event)
        assert (await post(live, body, sign(SECRET, body)))[0] == 200
    await live.listener.drain()
    assert [e.event for e in live.events] == ["message.sent", "message.delivered", "message.read"]


async def test_legacy_scheme_is_accepted_only_when_allowed_and_flagged(live: LiveListener) -> None:
    live.listener.allow_legacy = True
    body = body_for("m-legacy-on")
    status, _ = await post(live, body, sign_legacy(SECRET, body))
    bad = body_for("m-legacy-bad")
    bad_status, answer = await post(live, bad, sign_legacy("whsec_other", bad))
    await live.listener.drain()
    assert (status, bad_status, answer["verdict"]) == (200, 401, "invalid")
    assert [e.message_id for e in live.events] == ["m-legacy-on"]
    assert live.deliveries[0].verdict == "legacy-scheme"
    assert "no replay protection" in (live.deliveries[0].note or "")


async def test_any_current_secret_verifies_during_rotation(live: LiveListener) -> None:
    live.secrets = ["whsec_new", SECRET]
    body = body_for("m-rotate")
    assert (await post(live, body, sign(SECRET, body)))[0] == 200


async def test_recorded_delivery_is_redacted_and_timed(live: LiveListener) -> None:
    body = body_for(
        "m-record", attachments=["https://x/a.jpg", {"url": "https://x/b.pdf", "name": "b.pdf"}]
    )
    header = sign(SECRET, body)
    await post(live, body, header, extra_headers={"Authorization": "Bearer bl_live_secret"})
    await live.listener.drain()
    delivery = live.deliveries[0]
    headers = dict(delivery.headers)
    assert headers["X-Blooio-Signature"] == "<redacted>"
    assert headers["Authorization"] == "<redacted>"
    assert header not in repr(delivery) and "bl_live_secret" not in repr(delivery)
    assert delivery.body == body
    assert (delivery.event, delivery.message_id) == ("message.received", "m-record")
    assert delivery.processing_ms is not None and delivery.processing_ms >= 0
    assert delivery.delay_ms is not None
    assert [a.url for a in live.events[0].attachments] == ["https://x/a.jpg", "https://x/b.pdf"]


async def test_a_failing_handler_still_acks_and_is_noted(live: LiveListener) -> None:
    live.fail_with = RuntimeError("store is down")
    body = body_for("m-broken")
    assert (await post(live, body, sign(SECRET, body)))[0] == 200
    await live.listener.drain()
    assert "store is down" in (live.deliveries[0].note or "")


async def test_oversize_chunked_body_without_length_is_refused(live: LiveListener) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(100):
            yield b"x" * 1024

    headers = {"Content-Type": JSON, "X-Blooio-Signature": "t=1,v1=00"}
    async with (
        aiohttp.ClientSession() as session,
        session.post(live.url, data=chunks(), headers=headers) as res,
    ):
        assert res.status == 413
    await live.listener.drain()
    assert [d.verdict for d in live.deliveries] == ["rejected"]


async def test_connectivity_self_test_is_answered_and_recorded_not_handed_on(
    live: LiveListener,
) -> None:
    body = body_for("ping_1", event="desktop.ping")
    assert (await post(live, body, sign(SECRET, body)))[0] == 200
    await live.listener.drain()
    assert live.events == []
    assert (live.deliveries[0].verdict, live.deliveries[0].note) == (
        "valid",
        "connectivity self-test",
    )
