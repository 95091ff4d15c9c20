"""Cyclic garbage is collected by a main-thread timer, never by whichever thread allocates."""

from __future__ import annotations

import gc
import weakref
from typing import Any

from blooio_desktop.ui.main_thread_gc import MainThreadGarbageCollector


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_automatic_collection_is_off_until_stopped_and_cycles_are_freed(qtbot: Any) -> None:
    gc.enable()  # as in a fresh process (the UI test fixture turns it off)
    collector = MainThreadGarbageCollector(interval_ms=10)
    try:
        assert not gc.isenabled()
        garbage = _Cycle()
        alive = weakref.ref(garbage)
        del garbage
        for _ in range(gc.get_threshold()[0] + 1):  # push generation 0 over its threshold
            _Cycle()
        qtbot.waitUntil(lambda: alive() is None, timeout=5000)
    finally:
        collector.stop()
    assert gc.isenabled()
