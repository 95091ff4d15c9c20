"""A tiny synchronous event bus: services publish domain events, the UI bridges them to Qt signals.

Handlers run on the publisher's (asyncio/qasync) thread, in subscription order. A failing handler is
logged and skipped so one broken view cannot stop delivery to the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

log = logging.getLogger(__name__)
E = TypeVar("E")


class EventBus:
    def __init__(self) -> None:
        self._handlers: list[tuple[type[Any], Callable[[Any], None]]] = []

    def subscribe(self, event_type: type[E], handler: Callable[[E], None]) -> Callable[[], None]:
        """Call `handler` for every published event that is an instance of `event_type`."""
        entry: tuple[type[Any], Callable[[Any], None]] = (event_type, handler)
        self._handlers.append(entry)

        def unsubscribe() -> None:
            if entry in self._handlers:
                self._handlers.remove(entry)

        return unsubscribe

    def publish(self, event: object) -> None:
        for event_type, handler in list(self._handlers):
            if isinstance(event, event_type):
                try:
                    handler(event)
                except Exception:
                    log.exception("event handler %r failed for %s", handler, type(event).__name__)
