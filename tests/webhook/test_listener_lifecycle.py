"""The listener serves on a thread of its own but hands everything to the loop that started it;
start, stop and restart behave as before: a taken port is an OSError, nothing acked is lost on stop,
and no thread outlives `stop()`."""

from __future__ import annotations

import asyncio
import threading

import aiohttp
import pytest

from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.webhook.listener import WebhookListener
from blooio_desktop.webhook.signature import sign
from tests.webhook.conftest import SECRET
from tests.webhook.test_listener import body_for


def serving_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "webhook-listener"]


async def post_signed(url: str, message_id: str) -> int:
    body = body_for(message_id)
    headers = {"Content-Type": "application/json", "X-Blooio-Signature": sign(SECRET, body)}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=body, headers=headers) as res,
    ):
        return res.status


async def test_handlers_run_on_the_loop_that_started_the_listener() -> None:
    seen: list[tuple[str, threading.Thread]] = []

    def on_event(event: WebhookEvent) -> None:
        seen.append(("event", threading.current_thread()))

    def on_delivery(delivery: WebhookDelivery) -> None:
        seen.append(("delivery", threading.current_thread()))

    listener = WebhookListener(
        secret_provider=lambda: [SECRET], on_event=on_event, on_delivery=on_delivery
    )
    url = await listener.start()
    try:
        assert await post_signed(url, "m-thread") == 200
        await listener.drain()
    finally:
        await listener.stop()
    assert seen == [("event", threading.current_thread()), ("delivery", threading.current_thread())]


async def test_stop_hands_on_everything_acked_and_ends_the_serving_thread() -> None:
    events: list[str] = []
    recorded: list[str] = []

    async def on_event(event: WebhookEvent) -> None:
        await asyncio.sleep(0)
        events.append(event.message_id or "")

    listener = WebhookListener(
        secret_provider=lambda: [SECRET],
        on_event=on_event,
        on_delivery=lambda d: recorded.append(d.verdict),
    )
    url = await listener.start()
    ids = [f"m-stop-{n}" for n in range(20)]
    statuses = await asyncio.gather(*(post_signed(url, m) for m in ids))
    await listener.stop()  # no drain first: stop must not lose what was acknowledged
    assert statuses == [200] * 20
    assert sorted(events) == sorted(ids)
    assert recorded == ["valid"] * 20
    assert not listener.running and serving_threads() == []


async def test_a_taken_port_is_an_oserror_and_leaves_no_thread() -> None:
    first = WebhookListener(secret_provider=lambda: [SECRET])
    await first.start()
    try:
        second = WebhookListener(secret_provider=lambda: [SECRET], port=first.port)
        with pytest.raises(OSError):
            await second.start()
        assert not second.running
        assert len(serving_threads()) == 1
    finally:
        await first.stop()
    assert serving_threads() == []


async def test_a_stopped_listener_starts_again() -> None:
    events: list[str] = []
    listener = WebhookListener(
        secret_provider=lambda: [SECRET], on_event=lambda e: events.append(e.message_id or "")
    )
    for message_id in ("m-first-run", "m-second-run"):
        url = await listener.start()
        assert await post_signed(url, message_id) == 200
        await listener.stop()
    assert events == ["m-first-run", "m-second-run"]
    assert serving_threads() == []


async def test_cancelling_a_start_in_progress_leaves_nothing_serving() -> None:
    listener = WebhookListener(secret_provider=lambda: [SECRET])
    starting = asyncio.ensure_future(listener.start())
    await asyncio.sleep(0)  # the serving thread is binding now
    starting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await starting
    assert not listener.running and serving_threads() == []
