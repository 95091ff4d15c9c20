"""The serving loop → sink hand-off: a lone item goes at once, a burst as one batch in order, and a
producer that outruns the sink waits for room instead of queueing without end."""

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


def test_a_lone_item_is_handed_over_at_once_on_the_producers_thread(
    producer: asyncio.AbstractEventLoop,
) -> None:
    handed: list[tuple[list[str], str]] = []
    handoff: Handoff[str] = Handoff(
        lambda batch: handed.append((batch, threading.current_thread().name)), limit=100
    )
    seen_during_put: list[int] = []

    def put() -> None:
        handoff.put("only")
        seen_during_put.append(len(handed))  # before the ack would be written

    on(producer, put)
    assert seen_during_put == [1]
    assert handed[0][0] == ["only"]
    assert handed[0][1] != threading.current_thread().name


def test_a_burst_arrives_as_one_batch_in_order_after_the_producers_iteration(
    producer: asyncio.AbstractEventLoop,
) -> None:
    batches: list[list[int]] = []
    handoff: Handoff[int] = Handoff(batches.append, limit=100)
    on(producer, lambda: handoff.put(0))  # nothing outstanding: at once
    sizes_during_burst: list[int] = []

    def burst() -> None:
        for n in range(1, 10):
            handoff.put(n)
        sizes_during_burst.append(len(batches))

    on(producer, burst)
    on(producer, lambda: None)  # the burst's flush ran at the end of that iteration
    assert sizes_during_burst == [1]
    assert batches == [[0], list(range(1, 10))]


def test_flush_hands_over_what_is_queued_and_the_scheduled_flush_finds_nothing(
    producer: asyncio.AbstractEventLoop,
) -> None:
    batches: list[list[str]] = []
    handoff: Handoff[str] = Handoff(batches.append, limit=100)
    on(producer, lambda: handoff.put("first"))

    def two_then_flush_from_elsewhere() -> None:
        handoff.put("second")
        handoff.put("third")

    on(producer, two_then_flush_from_elsewhere)
    handoff.flush()  # what `drain()` does after the serving loop stopped
    on(producer, lambda: None)
    assert [n for batch in batches for n in batch] == ["first", "second", "third"]
    assert len(batches) == 2  # no empty batch from the scheduled flush


async def test_a_producer_past_the_limit_waits_until_half_the_room_is_free(
    producer: asyncio.AbstractEventLoop,
) -> None:
    handed: list[int] = []
    handoff: Handoff[int] = Handoff(handed.extend, limit=4)

    async def produce(count: int) -> None:
        for n in range(count):
            await handoff.room()
            handoff.put(n)

    produced = asyncio.run_coroutine_threadsafe(produce(6), producer)
    for _ in range(3):  # the task is created, takes its steps, and its flushes run
        on(producer, lambda: None)
    assert handed == [0, 1, 2, 3]  # the fifth waits: four are outstanding
    handoff.done()
    on(producer, lambda: None)
    assert not produced.done()  # three outstanding is more than half of four: still waiting
    handoff.done()
    await asyncio.wait_for(asyncio.wrap_future(produced), 5)
    on(producer, lambda: None)
    assert handed == [0, 1, 2, 3, 4, 5]


async def test_drained_returns_once_every_item_is_done_from_any_thread(
    producer: asyncio.AbstractEventLoop,
) -> None:
    handoff: Handoff[int] = Handoff(lambda batch: None, limit=100)
    on(producer, lambda: [handoff.put(n) for n in range(3)])
    drained = asyncio.ensure_future(handoff.drained())
    await asyncio.sleep(0.01)
    assert not drained.done()
    threading.Thread(target=handoff.done, args=(2,)).start()
    await asyncio.sleep(0.05)
    assert not drained.done()  # one is still being handled
    on(producer, handoff.done)
    await asyncio.wait_for(drained, 5)
