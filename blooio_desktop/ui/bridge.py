"""Bridges the Qt-free `EventBus` to Qt signals, so models and widgets connect to signals as usual.

Services publish on the bus from the (qasync) loop thread, which is the GUI thread, so the signals are
emitted synchronously. `changes` carries `core.events.Changes`; every other event goes out on
`bus_event` (not `event`, which would shadow `QObject.event()`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from blooio_desktop.core.events import Changes
from blooio_desktop.services.bus import EventBus


class BusBridge(QObject):
    """Re-emits bus events as Qt signals; the composition root calls `close()` at shutdown."""

    changes = Signal(object)  # core.events.Changes
    bus_event = Signal(object)  # any other published event (SyncProgress, ConnectivityState, …)

    def __init__(self, bus: EventBus, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._unsubscribers: list[Callable[[], None]] = [bus.subscribe(object, self._on_event)]

    def _on_event(self, event: object) -> None:
        if isinstance(event, Changes):
            if not event.empty:
                self.changes.emit(event)
        else:
            self.bus_event.emit(event)

    def close(self) -> None:
        while self._unsubscribers:
            self._unsubscribers.pop()()
