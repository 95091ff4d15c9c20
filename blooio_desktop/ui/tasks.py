"""Asyncio work started from Qt: `async_slot`, the typed form of `qasync.asyncSlot`, and `TaskSet`,
which owns the tasks a widget starts so none is garbage-collected mid-flight or outlives it."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, Protocol

import qasync

log = logging.getLogger(__name__)
P = ParamSpec("P")


class SlotDecorator(Protocol):
    def __call__(
        self, coroutine_function: Callable[P, Coroutine[Any, Any, None]], /
    ) -> Callable[P, asyncio.Task[None]]: ...


def async_slot(*types: type | str) -> SlotDecorator:
    """`qasync.asyncSlot(*types)` with a signature mypy can check (qasync ships no types).

    The decorated coroutine method becomes a Qt slot; calling it (as a signal does) schedules the
    coroutine on the running qasync loop and returns its task.
    """
    decorator: SlotDecorator = qasync.asyncSlot(*types)
    return decorator


class TaskSet:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)
        return task

    def _done(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    def cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    def __len__(self) -> int:
        return len(self._tasks)
