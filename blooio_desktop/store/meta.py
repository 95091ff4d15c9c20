"""Small key/value facts about the database itself (e.g. the sync watermark)."""

from __future__ import annotations

import sqlite3

from blooio_desktop.store.errors import mapped


class MetaRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @mapped
    def get(self, key: str) -> str | None:
        row = self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set(self, key: str, value: str) -> None:
        self._conn.execute(
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )
