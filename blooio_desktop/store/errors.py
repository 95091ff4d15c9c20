"""Turn sqlite3 exceptions into `StoreError`s whose kind and sentence tell the user what to do."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from blooio_desktop.core.errors import StoreError

CORRUPT_MESSAGE = (
    "The message database is damaged ({detail}). Blooio Desktop left the file untouched; "
    "restore it from a backup or remove it to download your history again."
)
LOCKED_MESSAGE = (
    "The message database is busy: another Blooio Desktop is using it. "
    "Close the other window (or wait a moment) and try again."
)
FULL_MESSAGE = "Your disk is full: free some space; nothing already saved was lost."
READ_ONLY_MESSAGE = (
    "The message database is read-only ({detail}): you can read your history, "
    "but new messages are not saved until the file is writable again."
)

P = ParamSpec("P")
R = TypeVar("R")

_CORRUPT_MARKERS = ("malformed", "not a database", "file is encrypted", "corrupt")
_LOCKED_MARKERS = ("database is locked", "database table is locked", "busy")
_FULL_MARKERS = ("disk is full", "database or disk is full", "database is full")
_READ_ONLY_MARKERS = ("readonly database", "read-only", "attempt to write a readonly")


def classify(exc: sqlite3.Error) -> str:
    """The `StoreError` kind for an sqlite3 error, from its error code or, failing that, its text."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        primary = code & 0xFF
        by_code = {
            sqlite3.SQLITE_CORRUPT: StoreError.CORRUPT,
            sqlite3.SQLITE_NOTADB: StoreError.CORRUPT,
            sqlite3.SQLITE_BUSY: StoreError.LOCKED,
            sqlite3.SQLITE_LOCKED: StoreError.LOCKED,
            sqlite3.SQLITE_FULL: StoreError.FULL,
            sqlite3.SQLITE_READONLY: StoreError.READ_ONLY,
        }
        if primary in by_code:
            return by_code[primary]
    text = str(exc).lower()
    for kind, markers in (
        (StoreError.CORRUPT, _CORRUPT_MARKERS),
        (StoreError.LOCKED, _LOCKED_MARKERS),
        (StoreError.FULL, _FULL_MARKERS),
        (StoreError.READ_ONLY, _READ_ONLY_MARKERS),
    ):
        if any(marker in text for marker in markers):
            return kind
    return StoreError.OTHER


def to_store_error(exc: sqlite3.Error) -> StoreError:
    """A specific, human `StoreError` for `exc` (the original stays attached as `__cause__`)."""
    kind = classify(exc)
    detail = str(exc)
    if kind == StoreError.CORRUPT:
        return StoreError(CORRUPT_MESSAGE.format(detail=detail), kind=kind)
    if kind == StoreError.LOCKED:
        return StoreError(LOCKED_MESSAGE, kind=kind)
    if kind == StoreError.FULL:
        return StoreError(FULL_MESSAGE, kind=kind)
    if kind == StoreError.READ_ONLY:
        return StoreError(READ_ONLY_MESSAGE.format(detail=detail), kind=kind)
    return StoreError(f"The message database failed: {detail}", kind=kind)


def mapped(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a repository read so sqlite3 errors reach callers as `StoreError`s."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except sqlite3.Error as exc:
            raise to_store_error(exc) from exc

    return wrapper
