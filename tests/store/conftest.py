"""A real database file per test, under the per-test app home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from blooio_desktop.store import Database


@pytest.fixture
def db_path(app_home: Path) -> Path:
    return app_home / "data" / "acct.sqlite3"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    database = Database.open(db_path)
    yield database
    database.close()
