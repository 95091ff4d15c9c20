"""Remembers recent deliveries so an at-least-once webhook reaches the app exactly once.

Blooio retries failed deliveries and replays from its log; the sandbox can duplicate on purpose.
A bounded LRU keeps memory flat on a listener that runs for weeks; the messaging store's merge is
the second line of defence for anything older than the window.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable, Iterable

DEFAULT_CAPACITY = 4096


class Deduplicator:
    """A bounded set of recently seen delivery keys (least recently seen forgotten first)."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self._capacity = capacity
        self._seen: OrderedDict[Hashable, None] = OrderedDict()

    def __len__(self) -> int:
        return len(self._seen)

    def check_and_add(self, keys: Iterable[Hashable]) -> bool:
        """True if any of `keys` was seen before; all of them are remembered either way."""
        duplicate = False
        for key in keys:
            if key in self._seen:
                duplicate = True
                self._seen.move_to_end(key)
            else:
                self._seen[key] = None
        while len(self._seen) > self._capacity:
            self._seen.popitem(last=False)
        return duplicate
