"""The dedupe window: repeats are caught, memory stays bounded."""

from blooio_desktop.webhook.dedupe import Deduplicator


def test_repeat_is_caught_and_window_is_bounded() -> None:
    dedupe = Deduplicator(capacity=2)
    assert dedupe.check_and_add(["a"]) is False
    assert dedupe.check_and_add(["a"]) is True
    dedupe.check_and_add(["b"])
    dedupe.check_and_add(["c"])  # evicts "a", the least recently seen
    assert len(dedupe) == 2
    assert dedupe.check_and_add(["a"]) is False


def test_any_matching_key_makes_a_duplicate() -> None:
    dedupe = Deduplicator()
    dedupe.check_and_add([("message.received", "m1", ""), ("original-event", "evt_1")])
    assert (
        dedupe.check_and_add([("message.received", "m2", ""), ("original-event", "evt_1")]) is True
    )
