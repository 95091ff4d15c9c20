"""The watchdog's timing: it checks repeatedly, backs off while checks fail, outlives a crashing
check, and `stop()` lets a check in progress finish. Only lower bounds of pauses are asserted (a
timer never fires early), so a slow machine cannot make these fail."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from blooio_desktop.services.tunnel_watchdog import TunnelWatchdog
from tests.support.waiting import wait_until

INTERVAL = 0.02
SLACK = 0.005  # the loop's clock resolution


async def test_checks_repeat_until_stopped() -> None:
    calls: list[float] = []

    async def check() -> bool:
        calls.append(asyncio.get_running_loop().time())
        return True

    watchdog = TunnelWatchdog(check, interval=INTERVAL)
    watchdog.start()
    watchdog.start()  # idempotent: still one task
    await wait_until(lambda: len(calls) >= 3, what="three checks")
    await watchdog.stop()
    assert not watchdog.running
    seen = len(calls)
    await asyncio.sleep(INTERVAL * 3)
    assert len(calls) == seen
    assert all(b - a >= INTERVAL - SLACK for a, b in itertools.pairwise(calls))


async def test_failing_checks_back_off_up_to_the_cap_and_one_success_resets() -> None:
    times: list[float] = []
    results = iter([False, False, False, False, True, True])

    async def check() -> bool:
        times.append(asyncio.get_running_loop().time())
        return next(results, True)

    watchdog = TunnelWatchdog(check, interval=INTERVAL, max_backoff=INTERVAL * 4)
    watchdog.start()
    await wait_until(lambda: len(times) >= 7, what="seven checks")
    await watchdog.stop()
    gaps = [b - a for a, b in itertools.pairwise(times)]
    expected_minimum = [2, 4, 4, 4, 1, 1]  # ×interval: doubling, capped, then reset
    for gap, factor in zip(gaps, expected_minimum, strict=False):
        assert gap >= INTERVAL * factor - SLACK


async def test_a_crashing_check_does_not_end_supervision() -> None:
    calls = 0

    async def check() -> bool:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise RuntimeError("boom")
        return True

    watchdog = TunnelWatchdog(check, interval=INTERVAL, max_backoff=INTERVAL)
    watchdog.start()
    await wait_until(lambda: calls >= 2, what="a check after the crash")
    await watchdog.stop()


async def test_stop_waits_for_the_check_in_progress() -> None:
    started, release = asyncio.Event(), asyncio.Event()
    finished: list[bool] = []

    async def check() -> bool:
        started.set()
        await release.wait()  # e.g. an agent restart in progress
        finished.append(True)
        return True

    watchdog = TunnelWatchdog(check, interval=INTERVAL)
    watchdog.start()
    await asyncio.wait_for(started.wait(), timeout=10)
    stopping = asyncio.ensure_future(watchdog.stop())
    await asyncio.sleep(0)
    assert not stopping.done()
    release.set()
    await asyncio.wait_for(stopping, timeout=10)
    assert finished == [True]


def test_a_non_positive_interval_is_refused() -> None:
    async def check() -> bool:
        return True

    with pytest.raises(ValueError, match="positive"):
        TunnelWatchdog(check, interval=0)
