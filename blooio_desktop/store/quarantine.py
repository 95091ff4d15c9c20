"""Move a damaged database aside (never delete it) so a fresh one can be rebuilt from Blooio.

`messages.sqlite3` becomes `messages.sqlite3.damaged-20261201T221500Z`, and its `-wal` / `-shm`
follow as `messages.sqlite3.damaged-20261201T221500Z-wal` / `-shm`: SQLite finds a database's
journal by that naming, so opening the moved copy (to recover from it) still sees its last writes.
The journal files move first: a stale `-wal` left next to a new, empty database would be replayed
into it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from blooio_desktop.core.errors import StoreError

SIDECARS = ("-wal", "-shm")


def quarantine(path: Path, *, now: dt.datetime | None = None) -> Path:
    """Rename the database at `path` and its journal files; returns the new path of the database.

    Nothing is deleted or overwritten. If any rename fails, the ones already done are undone and a
    `StoreError` says why.
    """
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    target = _free_name(path, stamp)
    moves = [
        (Path(f"{path}{suffix}"), Path(f"{target}{suffix}"))
        for suffix in SIDECARS
        if Path(f"{path}{suffix}").exists()
    ]
    if path.exists():
        moves.append((path, target))
    done: list[tuple[Path, Path]] = []
    try:
        for source, destination in moves:
            os.rename(source, destination)
            done.append((source, destination))
    except OSError as exc:
        for source, destination in reversed(done):
            with contextlib.suppress(OSError):  # if even this fails, both names still exist
                os.rename(destination, source)
        raise StoreError(
            f"Could not move the damaged message database aside ({exc.strerror}): "
            f"move {path} out of the way yourself, then start Blooio Desktop again."
        ) from exc
    return target


def _free_name(path: Path, stamp: str) -> Path:
    """`<name>.damaged-<stamp>`, with `-2`, `-3`… added if that name (or its journal) is taken."""
    base = f"{path}.damaged-{stamp}"
    candidate, n = Path(base), 1
    while any(Path(f"{candidate}{suffix}").exists() for suffix in ("", *SIDECARS)):
        n += 1
        candidate = Path(f"{base}-{n}")
    return candidate
