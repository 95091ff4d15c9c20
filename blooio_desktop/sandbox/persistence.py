"""Optional SQLite persistence: a JSON snapshot of the state, written shortly after changes.

One row in one table is enough for a demo sandbox that should survive a restart; the snapshot is
written at most every `interval_s` seconds and once more on shutdown.
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

FILENAME = "sandbox.sqlite3"


class SnapshotFile:
    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / FILENAME
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS snapshot (id INTEGER PRIMARY KEY CHECK (id = 1), data TEXT NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path)

    def load(self) -> dict[str, Any] | None:
        with self._connect() as db:
            row = db.execute("SELECT data FROM snapshot WHERE id = 1").fetchone()
        return json.loads(row[0]) if row else None

    def save(self, data: dict[str, Any]) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO snapshot (id, data) VALUES (1, ?)", (json.dumps(data),)
            )
