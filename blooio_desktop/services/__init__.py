"""Use cases (messaging, sync, outbox, connectivity, inspector). No Qt: the UI adapts their events."""
