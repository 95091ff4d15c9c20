"""One dedicated writer thread, so the UI loop never waits on disk for a write."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from blooio_desktop.core.errors import StoreError

T = TypeVar("T")


class WriterThread:
    """Runs callables one at a time, in order, on a single thread, and awaits them from asyncio."""

    def __init__(self, name: str = "blooio-store-writer") -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._closed = False

    async def run(self, fn: Callable[[], T]) -> T:
        if self._closed:
            raise StoreError("The message database is closed.", kind=StoreError.OTHER)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn)

    def close(self) -> None:
        """Finish the writes already queued, then stop the thread."""
        self._closed = True
        self._executor.shutdown(wait=True)
