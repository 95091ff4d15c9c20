"""Domain events the messaging, outbox and sync services publish on the EventBus (besides `Changes`)."""

from __future__ import annotations

from dataclasses import dataclass

from blooio_desktop.core.errors import StoreError


@dataclass(frozen=True, slots=True)
class SyncProgress:
    """For a progress bar. `phase` is "chats", "history", "backfill" or "done"; `total` may be unknown."""

    done: int
    total: int | None
    phase: str


@dataclass(frozen=True, slots=True)
class BackfillReport:
    """Messages that arrived while the app, listener or tunnel was down, now in the store."""

    count: int
    chats: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        noun = "message" if self.count == 1 else "messages"
        return f"{self.count} {noun} backfilled"


@dataclass(frozen=True, slots=True)
class StoreFailure:
    """A write the app could not save (disk full, locked, damaged): the UI shows `error.message`."""

    error: StoreError
    action: str  # what was being saved, e.g. "incoming messages"
