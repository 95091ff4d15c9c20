"""Opening the file: permissions, WAL, foreign keys, and specific errors when the disk or file fails."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from blooio_desktop.core.errors import StoreError
from blooio_desktop.store import Database, MessageRepository
from blooio_desktop.store.executor import Outcome
from blooio_desktop.store.migrations import LATEST_VERSION
from tests.store.factories import message


def test_new_database_is_private_wal_with_foreign_keys_and_latest_schema(
    db: Database, db_path: Path
) -> None:
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
    conn = db.read()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    assert not db.read_only


def test_an_existing_file_with_loose_permissions_is_tightened(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    Database.open(db_path).close()
    db_path.chmod(0o644)
    Database.open(db_path).close()
    assert stat.S_IMODE(db_path.stat().st_mode) == 0o600


def test_a_failed_transaction_keeps_nothing_and_the_reader_sees_only_commits(db: Database) -> None:
    with pytest.raises(RuntimeError), db.transaction() as conn:
        MessageRepository(conn).upsert([message("m1")])
        raise RuntimeError("crash mid-write")
    assert MessageRepository(db.read()).get("m1") is None
    with db.transaction() as conn:
        MessageRepository(conn).upsert([message("m1")])
    assert MessageRepository(db.read()).get("m1") is not None


async def test_writes_run_on_the_writer_thread_and_return_their_result(db: Database) -> None:
    loop_thread = threading.get_ident()

    def work(conn: sqlite3.Connection) -> int:
        MessageRepository(conn).upsert([message("m1")])
        return threading.get_ident()

    writer_thread = await db.write(work)
    assert writer_thread != loop_thread
    assert MessageRepository(db.read()).count() == 1


async def _hold_writer(db: Database) -> tuple[threading.Event, asyncio.Task[None]]:
    """Occupy the writer thread until the returned event is set, so the next writes queue up."""
    started, release = threading.Event(), threading.Event()

    def block(conn: sqlite3.Connection) -> None:
        started.set()
        release.wait(5)

    task = asyncio.create_task(db.write(block))
    await asyncio.to_thread(started.wait, 5)
    return release, task


async def test_writes_queued_together_share_one_commit_and_each_gets_its_own_result(
    db: Database,
) -> None:
    commits: list[str] = []
    await db.write(lambda conn: conn.set_trace_callback(lambda sql: commits.append(sql)))
    release, held = await _hold_writer(db)

    def store(n: int) -> Callable[[sqlite3.Connection], str]:
        def write(conn: sqlite3.Connection) -> str:
            MessageRepository(conn).upsert([message(f"m{n}")])
            return f"m{n}"

        return write

    queued = [asyncio.create_task(db.write(store(n))) for n in range(20)]
    await asyncio.sleep(0.05)  # all 20 are queued behind the held write
    commits.clear()
    release.set()
    await held
    assert await asyncio.gather(*queued) == [f"m{n}" for n in range(20)]
    assert commits.count("COMMIT") == 2  # the held write's, then one for all 20
    assert MessageRepository(db.read()).count() == 20


async def test_a_write_that_fails_in_a_shared_commit_is_undone_alone(db: Database) -> None:
    release, held = await _hold_writer(db)

    def fails(conn: sqlite3.Connection) -> None:
        MessageRepository(conn).upsert([message("half-written")])
        raise ValueError("this write is refused")

    def bad_sql(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO no_such_table VALUES (1)")

    before = asyncio.create_task(db.write(lambda c: MessageRepository(c).upsert([message("a")])))
    failing = asyncio.create_task(db.write(fails))
    broken = asyncio.create_task(db.write(bad_sql))
    after = asyncio.create_task(db.write(lambda c: MessageRepository(c).upsert([message("b")])))
    await asyncio.sleep(0.05)
    release.set()
    await held
    results = await asyncio.gather(before, failing, broken, after, return_exceptions=True)
    assert isinstance(results[1], ValueError)
    assert isinstance(results[2], StoreError) and "no such table" in str(results[2])
    stored = MessageRepository(db.read())
    assert stored.get("a") is not None and stored.get("b") is not None
    assert stored.get("half-written") is None


async def test_a_write_cancelled_before_it_runs_is_not_run(db: Database) -> None:
    release, held = await _hold_writer(db)
    cancelled = asyncio.create_task(db.write(lambda c: MessageRepository(c).upsert([message("x")])))
    await asyncio.sleep(0.05)
    cancelled.cancel()
    await asyncio.sleep(0)
    release.set()
    await held
    await db.write(lambda conn: None)  # the queue has been worked through
    assert MessageRepository(db.read()).get("x") is None


async def test_a_write_submitted_from_another_thread_reports_back_on_the_loop(db: Database) -> None:
    loop = asyncio.get_running_loop()
    reported: asyncio.Future[tuple[Outcome, int]] = loop.create_future()

    def on_done(outcome: Outcome) -> None:
        reported.set_result((outcome, threading.get_ident()))

    def submit() -> None:  # e.g. the webhook listener's serving thread: it must not wait
        db.submit(lambda c: MessageRepository(c).upsert([message("m1")]), loop=loop, on_done=on_done)

    thread = threading.Thread(target=submit)
    thread.start()
    outcome, reported_on = await asyncio.wait_for(reported, 5)
    thread.join()
    assert outcome.error is None and reported_on == threading.get_ident()
    assert MessageRepository(db.read()).get("m1") is not None


async def test_a_write_submitted_to_a_closed_database_reports_the_error(db_path: Path) -> None:
    closed = Database.open(db_path)
    closed.close()
    reported: asyncio.Future[Outcome] = asyncio.get_running_loop().create_future()
    closed.submit(lambda c: None, loop=asyncio.get_running_loop(), on_done=reported.set_result)
    outcome = await asyncio.wait_for(reported, 5)
    assert isinstance(outcome.error, StoreError) and "closed" in outcome.error.message


def test_disk_full_is_a_specific_error_and_nothing_stored_is_lost(db: Database) -> None:
    with db.transaction() as conn:
        MessageRepository(conn).upsert([message("kept", text="already saved")])
    pages = db.read().execute("PRAGMA page_count").fetchone()[0]
    with db.transaction() as conn:
        conn.execute(f"PRAGMA max_page_count = {pages + 1}")
    big = [message(f"m{i}", text="x" * 4000, time_sent=1_700_000_000_000 + i) for i in range(50)]
    with pytest.raises(StoreError) as info, db.transaction() as conn:
        MessageRepository(conn).upsert(big)
    assert info.value.kind == StoreError.FULL
    assert "disk is full" in str(info.value) and "nothing already saved was lost" in str(info.value)
    kept = MessageRepository(db.read()).get("kept")
    assert kept is not None and kept.text == "already saved"
    assert MessageRepository(db.read()).count() == 1


def test_a_database_locked_by_another_app_is_reported_as_such(db_path: Path) -> None:
    db = Database.open(db_path, busy_timeout_s=0.05)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError) as info, db.transaction():
            pass
        assert info.value.kind == StoreError.LOCKED
        assert "another Blooio Desktop" in str(info.value)
    finally:
        other.execute("ROLLBACK")
        other.close()
        db.close()


def test_a_damaged_file_is_a_specific_error_and_is_left_untouched(db_path: Path) -> None:
    db = Database.open(db_path)
    with db.transaction() as conn:
        MessageRepository(conn).upsert([message("m1")])
    db.close()
    data = bytearray(db_path.read_bytes())
    data[0:16] = b"garbage garbage!"
    db_path.write_bytes(bytes(data))
    for read_only in (False, True):
        with pytest.raises(StoreError) as info:
            Database.open(db_path, read_only=read_only)
        assert info.value.kind == StoreError.CORRUPT
        assert "damaged" in str(info.value)
    assert db_path.read_bytes() == bytes(data)


def test_read_only_mode_still_reads_history_and_refuses_writes_clearly(db_path: Path) -> None:
    db = Database.open(db_path)
    with db.transaction() as conn:
        MessageRepository(conn).upsert([message("m1", text="hello")])
    db.close()
    ro = Database.open(db_path, read_only=True)
    try:
        assert ro.read_only
        found = MessageRepository(ro.read()).get("m1")
        assert found is not None and found.text == "hello"
        with pytest.raises(StoreError) as info, ro.transaction():
            pass
        assert info.value.kind == StoreError.READ_ONLY
    finally:
        ro.close()


def test_a_file_that_cannot_be_opened_for_writing_falls_back_to_read_only(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Database.open(db_path).close()

    def refuse(*_: object, **__: object) -> int:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("blooio_desktop.store.database.os.open", refuse)
    db = Database.open(db_path)
    try:
        assert db.read_only
        assert MessageRepository(db.read()).count() == 0
    finally:
        db.close()
