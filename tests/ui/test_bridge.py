"""BusBridge: bus events become Qt signals; empty Changes are dropped; close() stops delivery."""

from __future__ import annotations

from typing import Any

from blooio_desktop.core.events import Changes
from blooio_desktop.services.bus import EventBus
from blooio_desktop.ui.bridge import BusBridge


def test_changes_and_other_events_go_out_on_their_own_signals(qtbot: Any) -> None:
    bus = EventBus()
    bridge = BusBridge(bus)
    changes: list[Changes] = []
    events: list[object] = []
    bridge.changes.connect(changes.append)
    bridge.bus_event.connect(events.append)
    touched = Changes(chats=frozenset({"+15550000001"}))
    bus.publish(touched)
    bus.publish(Changes())  # nothing touched: nobody needs to repaint
    bus.publish("sync done")
    assert changes == [touched]
    assert events == ["sync done"]
    bridge.close()
    bus.publish(touched)
    assert changes == [touched]
