"""The per-account SQLite file: opening (0600, WAL, foreign keys, migrations), transactions, errors.

Two connections: a writer, used only inside `transaction()` (serialised by a lock, and driven from one
dedicated thread by `write()`), and a query-only reader for the small synchronous page reads the UI
makes. WAL lets the reader see every committed write without ever blocking on the writer.

`write()` group-commits: writes submitted while the writer thread is busy share its next transaction,
each in its own savepoint, so one write that raises is undone alone and only its caller hears of it.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar, cast
from urllib.parse import quote

from blooio_desktop.core.errors import StoreError
from blooio_desktop.store.errors import READ_ONLY_MESSAGE, to_store_error
from blooio_desktop.store.executor import OnDone, Outcome, WriterThread
from blooio_desktop.store.migrations import migrate

T = TypeVar("T")
FILE_MODE = 0o600
WriteJob = Callable[[sqlite3.Connection], object]


class Database:
    """An open message database. Build it with `Database.open(path)`."""

    def __init__(
        self,
        path: Path,
        writer: sqlite3.Connection | None,
        reader: sqlite3.Connection,
        read_only_reason: str | None = None,
    ) -> None:
        self.path = path
        # Read-only: why, as a sentence for the UI (None while writable).
        self.read_only_reason = read_only_reason
        self._writer = writer
        self._reader = reader
        self._lock = threading.RLock()
        self._depth = 0
        self._thread: WriterThread[WriteJob] = WriterThread(self._run_batch)

    @classmethod
    def open(
        cls, path: Path | str, *, read_only: bool = False, busy_timeout_s: float = 5.0
    ) -> Database:
        """Open (creating and migrating if needed) the database at `path`.

        If the file cannot be opened for writing (permissions, read-only medium) it is opened read-only
        instead: history stays readable and `read_only` is True. A damaged or locked file raises a
        specific `StoreError`, and the file is never modified or deleted.
        """
        path = Path(path)
        reason = READ_ONLY_MESSAGE.format(detail="opened read-only on request")
        if not read_only:
            try:
                writer = _open_writer(path, busy_timeout_s)
            except StoreError as exc:
                if exc.kind != StoreError.READ_ONLY or not path.exists():
                    raise
                reason = exc.message
            else:
                try:
                    reader = _connect(str(path), busy_timeout_s, uri=False)
                    reader.execute("PRAGMA query_only = ON")
                except sqlite3.Error as exc:
                    writer.close()
                    raise to_store_error(exc) from exc
                return cls(path, writer, reader)
        return cls(path, None, _open_read_only(path, busy_timeout_s), reason)

    @property
    def read_only(self) -> bool:
        return self._writer is None

    def read(self) -> sqlite3.Connection:
        """The query-only connection for SELECTs on the loop thread (committed data only)."""
        return self._reader

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT on the writer; sqlite errors become `StoreError`s; nested calls
        join the outer transaction."""
        with self._lock:
            writer = self._writer
            if writer is None:
                raise StoreError(
                    READ_ONLY_MESSAGE.format(detail=str(self.path)), kind=StoreError.READ_ONLY
                )
            if self._depth:
                self._depth += 1
                try:
                    yield writer
                finally:
                    self._depth -= 1
                return
            try:
                writer.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise to_store_error(exc) from exc
            self._depth = 1
            try:
                yield writer
                writer.execute("COMMIT")
            except sqlite3.Error as exc:
                _rollback(writer)
                raise to_store_error(exc) from exc
            except BaseException:
                _rollback(writer)
                raise
            finally:
                self._depth = 0

    async def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run `fn(conn)` in a transaction on the writer thread; the loop stays free meanwhile. Returns
        once that transaction is committed; `fn` raising undoes only what `fn` wrote."""
        return cast(T, await self._thread.run(fn))

    def submit(
        self,
        fn: Callable[[sqlite3.Connection], object],
        *,
        loop: asyncio.AbstractEventLoop,
        on_done: OnDone,
    ) -> None:
        """`write` for a producer on another thread that must not wait (thread-safe): `on_done` gets
        the `Outcome` on `loop` once the transaction is committed or failed."""
        self._thread.submit(fn, loop, on_done)

    def _run_batch(self, jobs: Sequence[WriteJob]) -> list[Outcome]:
        """One transaction for every job the writer thread took at once (on that thread)."""
        if len(jobs) == 1:  # the common case needs no savepoint: the transaction is the job's own
            try:
                with self.transaction() as conn:
                    return [Outcome(value=jobs[0](conn))]
            except Exception as exc:
                return [Outcome(error=exc)]
        try:
            with self.transaction() as conn:
                return [_in_savepoint(conn, job) for job in jobs]
        except _TransactionLost as lost:
            return [Outcome(error=lost.error)] * len(jobs)
        except StoreError as exc:  # BEGIN or COMMIT failed: none of the batch was saved
            return [Outcome(error=exc)] * len(jobs)

    def close(self) -> None:
        self._thread.close()
        with self._lock:
            if self._writer is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._writer.execute("PRAGMA optimize")
                self._writer.close()
            self._reader.close()


def _connect(target: str, busy_timeout_s: float, *, uri: bool) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False, uri=uri
    )
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _open_writer(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        os.close(os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE))
        os.chmod(path, FILE_MODE)
    except PermissionError as exc:
        raise StoreError(
            READ_ONLY_MESSAGE.format(detail=str(exc)), kind=StoreError.READ_ONLY
        ) from exc
    except OSError as exc:
        raise StoreError(f"Cannot create the message database at {path}: {exc.strerror}.") from exc
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(str(path), busy_timeout_s, uri=False)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        migrate(conn)
        return conn
    except sqlite3.Error as exc:
        if conn is not None:
            conn.close()
        raise to_store_error(exc) from exc
    except BaseException:
        if conn is not None:
            conn.close()
        raise


def _open_read_only(path: Path, busy_timeout_s: float) -> sqlite3.Connection:
    try:
        conn = _connect(f"file:{quote(str(path))}?mode=ro", busy_timeout_s, uri=True)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as exc:
        raise to_store_error(exc) from exc
    return conn


class _TransactionLost(Exception):
    """SQLite rolled back the whole transaction (disk full, I/O error): every job of the batch is lost."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _in_savepoint(conn: sqlite3.Connection, job: WriteJob) -> Outcome:
    try:
        with savepoint(conn, "write_job"):
            value = job(conn)
    except Exception as exc:
        error = to_store_error(exc) if isinstance(exc, sqlite3.Error) else exc
        if not conn.in_transaction:
            raise _TransactionLost(error) from exc
        return Outcome(error=error)
    return Outcome(value=value)


@contextlib.contextmanager
def savepoint(conn: sqlite3.Connection, name: str) -> Iterator[None]:
    """Inside a write: if the block raises, undo only what it wrote (the error propagates)."""
    conn.execute(f"SAVEPOINT {name}")
    try:
        yield
    except BaseException:
        if conn.in_transaction:  # SQLite may have rolled the whole transaction back already
            conn.execute(f"ROLLBACK TO {name}")
            conn.execute(f"RELEASE {name}")
        raise
    conn.execute(f"RELEASE {name}")


def _rollback(conn: sqlite3.Connection) -> None:
    with contextlib.suppress(sqlite3.Error):
        conn.execute("ROLLBACK")
