"""The serving thread → app loop hand-off: a burst arrives as one batch, in order, and a producer
that outruns the app waits for room instead of queueing without end."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator

import pytest

from blooio_desktop.webhook.handoff import Handoff


@pytest.fixture
def producer() -> Iterator[asyncio.AbstractEventLoop]:
    """A plain asyncio loop on its own thread, as the listener's serving thread runs one."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield loop
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)
    loop.close()


def on(loop: asyncio.AbstractEventLoop, fn: Callable[[], object]) -> None:
    """Run `fn` as one callback of `loop` and wait for it: whatever `loop` had ready ran first."""
    done = threading.Event()

    def run() -> None:
        fn()
        done.set()

    loop.call_soon_threadsafe(run)
    assert done.wait(5)


async def test_a_burst_from_the_serving_thread_arrives_as_one_batch_in_order(
    producer: asyncio.AbstractEventLoop,
) -> None:
    batches: list[list[int]] = []
    arrived = asyncio.Event()

    def deliver(batch: list[int]) -> None:
        batches.append(batch)
        arrived.set()

    handoff: Handoff[int] = Handoff(asyncio.get_running_loop(), deliver, limit=100)

    def burst() -> None:
        for n in range(10):
            handoff.put(n)

    on(producer, burst)
    await asyncio.wait_for(arrived.wait(), 5)
    assert batches == [list(range(10))]


async def test_flush_hands_over_what_is_queued_before_the_wake_up_arrives(
    producer: asyncio.AbstractEventLoop,
) -> None:
    batches: list[list[str]] = []
    handoff: Handoff[str] = Handoff(asyncio.get_running_loop(), batches.append, limit=100)
    on(producer, lambda: handoff.put("acked"))
    handoff.flush()  # what `drain()` does right after an ack came back
    assert batches == [["acked"]]
    on(producer, lambda: None)  # the wake-up has been sent by now...
    for _ in range(3):
        await asyncio.sleep(0)  # ...and run here: it finds nothing left to hand over
    assert batches == [["acked"]]


async def test_a_producer_past_the_limit_waits_until_half_the_room_is_free(
    producer: asyncio.AbstractEventLoop,
) -> None:
    batches: list[list[int]] = []
    handoff: Handoff[int] = Handoff(asyncio.get_running_loop(), batches.append, limit=4)

    async def produce(count: int) -> None:
        for n in range(count):
            await handoff.room()
            handoff.put(n)

    produced = asyncio.run_coroutine_threadsafe(produce(6), producer)
    for _ in range(2):  # the first round trip lets the task be created, the second its first step
        on(producer, lambda: None)
    handoff.flush()
    assert [n for batch in batches for n in batch] == [
        0,
        1,
        2,
        3,
    ]  # the fifth waits: four are outstanding
    handoff.done()
    on(producer, lambda: None)
    assert not produced.done()  # three outstanding is more than half of four: still waiting
    handoff.done()
    await asyncio.wait_for(asyncio.wrap_future(produced), 5)
    handoff.flush()
    assert [n for batch in batches for n in batch] == [0, 1, 2, 3, 4, 5]
