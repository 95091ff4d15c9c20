"""Signed webhook delivery to a local receiver: headers, payloads, routing, retries, logs, replay."""

from __future__ import annotations

import httpx

from blooio_desktop.sandbox import SandboxServer
from blooio_desktop.webhook.signature import Verdict, verify
from tests.sandbox.conftest import Receiver, wait_until

PHONE = "+15551230001"


async def _register(http: httpx.AsyncClient, url: str, webhook_type: str = "all") -> dict[str, str]:
    res = await http.post("webhooks", json={"webhook_url": url, "webhook_type": webhook_type})
    assert res.status_code == 201
    body: dict[str, str] = res.json()
    assert body["signing_secret"].startswith("whsec_") and body["webhook_id"].startswith("wh_")
    return body


async def test_inbound_message_is_delivered_signed(
    http: httpx.AsyncClient, control: httpx.AsyncClient, receiver: Receiver
) -> None:
    hook = await _register(http, receiver.url)
    injected = (
        await control.post(
            "inbound", json={"from": PHONE, "text": "hi", "attachments": ["https://x.test/a.jpg"]}
        )
    ).json()
    await wait_until(lambda: receiver.received)
    got = receiver.received[0]
    assert (
        verify(hook["signing_secret"], got.headers["X-Blooio-Signature"], got.body) is Verdict.VALID
    )
    assert got.headers["X-Blooio-Event"] == "message.received"
    assert got.headers["X-Blooio-Message-Id"] == injected["message_id"]
    assert got.headers["Content-Type"] == "application/json"
    body = got.json
    assert body["external_id"] == PHONE and body["sender"] == PHONE and body["is_group"] is False
    assert body["attachments"] == [{"url": "https://x.test/a.jpg", "name": "a.jpg"}]
    assert isinstance(body["timestamp"], int) and body["timestamp"] > 10**12


async def test_duplicate_url_is_200_without_a_new_secret(
    http: httpx.AsyncClient, receiver: Receiver
) -> None:
    await _register(http, receiver.url)
    again = await http.post("webhooks", json={"webhook_url": receiver.url})
    assert again.status_code == 200 and "signing_secret" not in again.json()
    assert (await http.post("webhooks", json={"webhook_url": "not a url"})).status_code == 400


async def test_outbound_progress_emits_status_events_in_order(
    http: httpx.AsyncClient, control: httpx.AsyncClient, receiver: Receiver
) -> None:
    await control.put("world", json={"bot": False})
    await _register(http, receiver.url, "status")
    mid = (await http.post(f"chats/{PHONE}/messages", json={"text": "hello"})).json()["message_id"]
    await wait_until(lambda: receiver.events("message.read"))
    events = receiver.events()
    assert [e["event"] for e in events] == ["message.sent", "message.delivered", "message.read"]
    assert {e["message_id"] for e in events} == {mid}
    assert events[0]["text"] == "hello" and events[2]["read_at"] >= events[1]["delivered_at"]


async def test_group_payloads_carry_group_fields(
    http: httpx.AsyncClient, control: httpx.AsyncClient, receiver: Receiver
) -> None:
    await _register(http, receiver.url, "message")
    group = (
        await http.post("groups", json={"name": "Crew", "members": [PHONE, "+15551230002"]})
    ).json()
    await control.post("inbound", json={"from": PHONE, "text": "yo", "group_id": group["group_id"]})
    body = (await wait_until(lambda: receiver.events("message.received")))[0]
    assert body["is_group"] is True and body["group_id"] == body["external_id"] == group["group_id"]
    assert body["group_name"] == "Crew" and {p["identifier"] for p in body["participants"]} == {
        PHONE,
        "+15551230002",
    }


async def test_failures_are_retried_logged_and_replayable(
    http: httpx.AsyncClient, control: httpx.AsyncClient, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    hook = await _register(http, receiver.url)
    await control.post("inbound", json={"from": PHONE, "text": "retry me"})
    await wait_until(lambda: len(receiver.received) == 3)
    logs = (await http.get(f"webhooks/{hook['webhook_id']}/logs", params={"sort": "asc"})).json()
    assert [log["response_status"] for log in logs["logs"]] == [500, 503, 200]
    assert logs["pagination"]["total"] == 3 and logs["pagination"]["has_more"] is False
    only_ok = (await http.get(f"webhooks/{hook['webhook_id']}/logs", params={"status": 200})).json()
    assert len(only_ok["logs"]) == 1
    first = logs["logs"][0]
    replay = await http.post(f"webhooks/{hook['webhook_id']}/logs/{first['event_id']}/replay")
    assert replay.status_code == 200
    result = replay.json()
    assert result["success"] is True and result["original_event_id"] == first["event_id"]
    replayed = receiver.received[-1]
    assert replayed.headers["X-Blooio-Replay"] == "true"
    assert replayed.headers["X-Original-Event-Id"] == first["event_id"]
    assert replayed.json == first["event_body"]
    counters = (await control.get("counters")).json()["webhooks"]
    assert counters == {"attempted": 4, "succeeded": 2, "failed": 2}
    webhook = (await http.get(f"webhooks/{hook['webhook_id']}")).json()
    assert webhook["failure_count"] == 2 and webhook["last_triggered"] is not None


async def test_dead_listener_does_not_block_other_webhooks(
    http: httpx.AsyncClient, control: httpx.AsyncClient, receiver: Receiver
) -> None:
    await _register(http, "http://127.0.0.1:9/dead")
    await _register(http, receiver.url)
    await control.post("inbound", json={"from": PHONE, "text": "still here"})
    await wait_until(lambda: receiver.received)
    assert (await http.get("me")).status_code == 200


async def test_rotate_deprecate_and_delete(
    http: httpx.AsyncClient, control: httpx.AsyncClient, receiver: Receiver
) -> None:
    hook = await _register(http, receiver.url)
    rotated = (await http.post(f"webhooks/{hook['webhook_id']}/secret/rotate")).json()
    assert rotated["signing_secret"] != hook["signing_secret"] and rotated["rotation_count"] == 1
    await control.post("inbound", json={"from": PHONE, "text": "new secret"})
    got = (await wait_until(lambda: receiver.received))[0]
    assert (
        verify(rotated["signing_secret"], got.headers["X-Blooio-Signature"], got.body)
        is Verdict.VALID
    )
    paused = (await http.patch(f"webhooks/{hook['webhook_id']}", json={"deprecate": True})).json()
    assert paused["is_active"] is False and paused["deprecated_at"] is not None
    assert (await http.delete(f"webhooks/{hook['webhook_id']}")).json()["success"] is True
    assert (await http.get(f"webhooks/{hook['webhook_id']}")).status_code == 404


async def test_duplicate_delivery_fault_sends_twice(
    http: httpx.AsyncClient, control: httpx.AsyncClient, receiver: Receiver, server: SandboxServer
) -> None:
    await control.put("faults", json={"webhook_duplicate_rate": 1, "webhook_shuffle_ms": 5})
    await _register(http, receiver.url)
    await control.post("inbound", json={"from": PHONE, "text": "twice"})
    await wait_until(lambda: len(receiver.received) == 2)
    assert receiver.received[0].body == receiver.received[1].body


async def test_control_reaction_and_read_emit_events(
    http: httpx.AsyncClient, control: httpx.AsyncClient, receiver: Receiver
) -> None:
    await control.put("world", json={"bot": False, "read_receipts": False})
    await _register(http, receiver.url)
    mid = (await http.post(f"chats/{PHONE}/messages", json={"text": "see you at 5"})).json()[
        "message_id"
    ]
    await control.post("reaction", json={"message_id": mid, "reaction": "love", "sender": PHONE})
    reaction = (await wait_until(lambda: receiver.events("message.reaction")))[0]
    assert (
        reaction["reaction"] == "love"
        and reaction["action"] == "add"
        and reaction["original_text"] == "see you at 5"
    )
    await wait_until(lambda: receiver.events("message.delivered"))
    await control.post("read", json={"message_id": mid})
    read = (await wait_until(lambda: receiver.events("message.read")))[0]
    assert read["message_id"] == mid and read["status"] == "read"
