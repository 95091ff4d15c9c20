"""Events reach the subscribers of their type, and one broken subscriber does not stop the others."""

from blooio_desktop.core.events import Changes
from blooio_desktop.services.bus import EventBus


def test_subscribers_get_events_of_their_type_and_survive_a_broken_peer() -> None:
    bus = EventBus()
    seen: list[object] = []

    def broken(_: Changes) -> None:
        raise RuntimeError("boom")

    bus.subscribe(Changes, broken)
    unsubscribe = bus.subscribe(Changes, seen.append)
    bus.subscribe(str, seen.append)
    bus.publish(Changes(chats=frozenset({"+1"})))
    bus.publish("hello")
    unsubscribe()
    bus.publish(Changes())
    assert seen == [Changes(chats=frozenset({"+1"})), "hello"]
