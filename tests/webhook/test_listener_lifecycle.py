"""The listener serves on a thread of its own and hands everything to its sink (callbacks: on the
loop that started it); start, stop and restart behave as before: a taken port is an OSError, nothing acked is lost on stop,
and no thread outlives `stop()`."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

import aiohttp
import pytest

from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.webhook.listener import WebhookListener
from blooio_desktop.webhook.signature import sign
from blooio_desktop.webhook.sink import Acked
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


class SlowSink:
    """Takes batches on the serving thread and finishes them later, from a thread of its own."""

    def __init__(self) -> None:
        self.taken: list[tuple[str | None, str]] = []
        self.finished = 0

    def take(self, batch: list[Acked], done: Callable[[int], None]) -> None:
        self.taken += [(a.delivery.message_id, threading.current_thread().name) for a in batch]

        def finish() -> None:
            time.sleep(0.2)
            self.finished += len(batch)
            done(len(batch))

        threading.Thread(target=finish).start()


async def test_a_sink_takes_deliveries_on_the_serving_thread_and_stop_waits_until_it_is_done() -> None:
    sink = SlowSink()
    listener = WebhookListener(secret_provider=lambda: [SECRET], sink=sink)
    url = await listener.start()
    ids = [f"m-sink-{n}" for n in range(10)]
    assert await asyncio.gather(*(post_signed(url, m) for m in ids)) == [200] * 10  # acked at once
    await listener.stop()
    assert sorted(m for m, _ in sink.taken) == sorted(ids)
    assert {thread for _, thread in sink.taken} == {"webhook-listener"}
    assert sink.finished == 10


def test_a_sink_and_callbacks_together_are_refused() -> None:
    with pytest.raises(ValueError, match="not both"):
        WebhookListener(secret_provider=lambda: [SECRET], sink=SlowSink(), on_event=print)


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
