"""An old-version file is migrated forward step by step, keeping (and newly indexing) its data."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from blooio_desktop.core.errors import StoreError
from blooio_desktop.store import Database, MessageRepository, SearchIndex
from blooio_desktop.store.migrations import LATEST_VERSION, migrate, schema_version


def _version_1_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    assert migrate(conn, target=1) == [1]
    conn.execute("INSERT INTO chats (id) VALUES ('+15550000001')")
    conn.execute(
        "INSERT INTO messages (message_id, chat_id, direction, text, status, sort_time) "
        "VALUES ('old1', '+15550000001', 'inbound', 'written by version one', 'received', 1)"
    )
    conn.close()


def test_an_old_file_is_migrated_forward_and_its_messages_become_searchable(db_path: Path) -> None:
    _version_1_file(db_path)
    db = Database.open(db_path)
    try:
        assert schema_version(db.read()) == LATEST_VERSION
        hits = SearchIndex(db.read()).search("version")
        assert [h.message.message_id for h in hits] == ["old1"]
        shown = MessageRepository(db.read()).page("+15550000001")
        assert [m.message_id for m in shown] == ["old1"]  # v4: rows from before stay visible
        tables = {
            r[0] for r in db.read().execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        assert {"webhook_deliveries", "forward_attempts", "outbox"} <= tables
        activity = db.read().execute("SELECT activity_time FROM chats").fetchone()[0]
        assert activity == 1  # v6: the chat list's order key, from the messages already stored
    finally:
        db.close()


def test_a_failing_step_leaves_the_file_at_the_previous_version(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _version_1_file(db_path)
    import blooio_desktop.store.migrations as migrations

    broken = (*migrations.MIGRATIONS[:1], (2, "CREATE TABLE extra (x); CREATE TABLE broken ("))
    monkeypatch.setattr(migrations, "MIGRATIONS", broken)
    conn = sqlite3.connect(db_path, isolation_level=None)
    with pytest.raises(sqlite3.Error):
        migrate(conn)
    assert schema_version(conn) == 1
    assert (
        conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").fetchone()[0] == 0
    )
    conn.close()


def test_a_file_from_a_newer_app_is_refused_with_a_clear_message(db_path: Path) -> None:
    Database.open(db_path).close()
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="newer Blooio Desktop"):
        Database.open(db_path)
