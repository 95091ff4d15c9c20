"""The simulated world: status progression, read receipts, the reply bot, SMS-only and unreachable."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from blooio_desktop.sandbox import SandboxServer
from tests.sandbox.conftest import wait_until

PHONE = "+15551230001"
SMS_PHONE = "+15551230009"


async def _state_of(control: httpx.AsyncClient, mid: str) -> dict[str, Any]:
    messages = (await control.get("state")).json()["messages"]
    found: dict[str, Any] = next(m for m in messages if m["message_id"] == mid)
    return found


async def _eventually(control: httpx.AsyncClient, mid: str, sim_status: str) -> dict[str, Any]:
    latest: dict[str, Any] = {}
    for _ in range(500):
        latest = await _state_of(control, mid)
        if latest["sim_status"] == sim_status:
            return latest
        await asyncio.sleep(0.01)
    raise AssertionError(f"{mid} stuck at {latest.get('sim_status')}")


async def test_imessage_goes_to_delivered_then_read(
    http: httpx.AsyncClient, control: httpx.AsyncClient
) -> None:
    mid = (await http.post(f"chats/{PHONE}/messages", json={"text": "hi"})).json()["message_id"]
    read = await _eventually(control, mid, "read")
    assert read["status"] == "delivered" and read["time_read"] >= read["time_delivered"]
    assert (await http.get(f"chats/{PHONE}/messages/{mid}/status")).json()["status"] == "delivered"


async def test_sms_only_contacts_never_send_read_receipts(
    http: httpx.AsyncClient, control: httpx.AsyncClient
) -> None:
    mid = (await http.post(f"chats/{SMS_PHONE}/messages", json={"text": "sms"})).json()[
        "message_id"
    ]
    delivered = await _eventually(control, mid, "delivered")
    assert delivered["protocol"] == "sms"
    await _eventually(
        control,
        (await http.post(f"chats/{PHONE}/messages", json={"text": "x"})).json()["message_id"],
        "read",
    )
    assert (await _state_of(control, mid))["sim_status"] == "delivered"


async def test_unreachable_numbers_fail(
    http: httpx.AsyncClient, control: httpx.AsyncClient
) -> None:
    await control.put("world", json={"unreachable": [PHONE]})
    mid = (await http.post(f"chats/{PHONE}/messages", json={"text": "anyone?"})).json()[
        "message_id"
    ]
    failed = await _eventually(control, mid, "failed")
    assert failed["status"] == "failed" and failed["error"]


async def test_bot_replies_and_tapbacks(
    http: httpx.AsyncClient, control: httpx.AsyncClient
) -> None:
    mid = (await http.post(f"chats/{PHONE}/messages", json={"text": "Thanks so much!"})).json()[
        "message_id"
    ]

    async def replies() -> list[dict[str, Any]]:
        res = await http.get(f"chats/{PHONE}/messages", params={"direction": "inbound"})
        return list(res.json()["messages"])

    found: list[dict[str, Any]] = []
    for _ in range(500):
        found = await replies()
        if found:
            break
        await asyncio.sleep(0.01)
    assert found and found[0]["text"] and found[0]["direction"] == "inbound"
    ours = (await http.get(f"chats/{PHONE}/messages/{mid}")).json()
    assert ours["reactions"][0]["reaction"] == "like" and ours["reactions"][0]["sender"] == PHONE


async def test_bot_can_be_switched_off(http: httpx.AsyncClient, control: httpx.AsyncClient) -> None:
    assert (await control.put("world", json={"bot": False})).json()["bot"] is False
    mid = (await http.post(f"chats/{PHONE}/messages", json={"text": "quiet?"})).json()["message_id"]
    await _eventually(control, mid, "read")
    res = await http.get(f"chats/{PHONE}/messages", params={"direction": "inbound"})
    assert res.json()["messages"] == []
    assert (await control.put("world", json={"speed": 0})).status_code == 400


async def test_seeded_world_occasionally_starts_new_chats() -> None:
    server = SandboxServer(seed=True, speed=2000)
    await server.start()
    try:
        state = server.context.state
        before = len(state.chat_ids())
        await wait_until(lambda: len(server.context.state.chat_ids()) > before)
        newest = max(state.messages.values(), key=lambda m: m.time_sent)
        assert newest.direction == "inbound" and newest.text
    finally:
        await server.stop()
