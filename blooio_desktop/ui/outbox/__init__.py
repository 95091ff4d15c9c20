"""The outbox dock: pending and failed sends, with retry and discard."""
