"""Moving a damaged database aside: renamed with its journal, byte-identical, never overwritten."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from blooio_desktop.core.errors import StoreError
from blooio_desktop.store import Database, MessageRepository
from blooio_desktop.store.quarantine import quarantine

NOW = dt.datetime(2026, 12, 1, 22, 15, 0, tzinfo=dt.UTC)
MOVED = "acct.sqlite3.damaged-20261201T221500Z"


@pytest.fixture
def crashed(db_path: Path, tmp_path: Path) -> Iterator[Path]:
    """A database as a crash leaves it: its last write only in `-wal`, with `-shm` beside it."""
    live_dir = tmp_path / "live"
    live_dir.mkdir()
    live = live_dir / db_path.name
    conn = sqlite3.connect(live)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE notes (text TEXT)")
    conn.execute("INSERT INTO notes VALUES ('only in the journal')")
    conn.commit()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{live}{suffix}", f"{db_path}{suffix}")
    conn.close()
    yield db_path


def contents(path: Path) -> dict[str, bytes]:
    return {
        suffix: Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    }


def test_the_file_and_its_journal_move_aside_byte_identical_and_stay_readable(
    crashed: Path,
) -> None:
    before = contents(crashed)
    assert set(before) == {"", "-wal", "-shm"}

    moved = quarantine(crashed, now=NOW)

    assert moved == crashed.with_name(MOVED)
    assert contents(moved) == before
    assert not any(Path(f"{crashed}{s}").exists() for s in ("", "-wal", "-shm"))
    with sqlite3.connect(moved) as conn:  # the journal went along, so the last write is there
        assert conn.execute("SELECT text FROM notes").fetchall() == [("only in the journal",)]


def test_a_fresh_database_opens_where_the_damaged_one_was(db_path: Path) -> None:
    Database.open(db_path).close()
    data = bytearray(db_path.read_bytes())
    data[0:16] = b"garbage garbage!"
    db_path.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        Database.open(db_path)

    moved = quarantine(db_path, now=NOW)

    db = Database.open(db_path)
    try:
        assert not db.read_only and MessageRepository(db.read()).count() == 0
    finally:
        db.close()
    assert moved.read_bytes() == bytes(data)


def test_a_second_quarantine_in_the_same_second_overwrites_nothing(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_bytes(b"first damaged file")
    first = quarantine(db_path, now=NOW)
    db_path.write_bytes(b"second damaged file")
    second = quarantine(db_path, now=NOW)

    assert first != second and second.name == f"{MOVED}-2"
    assert first.read_bytes() == b"first damaged file"
    assert second.read_bytes() == b"second damaged file"


def test_a_failed_rename_is_undone_and_explained(
    crashed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = contents(crashed)
    real_rename = os.rename

    def refuse_main_file(source: str | Path, destination: str | Path) -> None:
        if Path(source) == crashed:
            raise OSError(16, "Device or resource busy")
        real_rename(source, destination)

    monkeypatch.setattr("blooio_desktop.store.quarantine.os.rename", refuse_main_file)
    with pytest.raises(StoreError) as info:
        quarantine(crashed, now=NOW)

    assert "Could not move the damaged message database aside" in info.value.message
    assert "Device or resource busy" in info.value.message
    assert contents(crashed) == before  # the journal files were put back
    assert not list(crashed.parent.glob("*.damaged-*"))
