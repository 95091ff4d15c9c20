"""Contacts cached from the API, so names show offline and before the first sync finishes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from blooio_desktop.core.models import Contact
from blooio_desktop.store.errors import mapped
from blooio_desktop.store.rows import contact_from_row, contact_params


class ContactRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @mapped
    def get(self, identifier: str) -> Contact | None:
        row = self._conn.execute(
            "SELECT * FROM contacts WHERE identifier = ?", (identifier,)
        ).fetchone()
        return contact_from_row(row) if row else None

    @mapped
    def all_contacts(self, query: str | None = None) -> list[Contact]:
        """Contacts by name (then identifier), optionally those whose name or number contains `query`."""
        sql = "SELECT * FROM contacts"
        params: tuple[str, ...] = ()
        if query and query.strip():
            sql += " WHERE instr(lower(COALESCE(name, '')), ?) OR instr(lower(identifier), ?)"
            needle = query.strip().lower()
            params = (needle, needle)
        sql += " ORDER BY lower(COALESCE(name, identifier)), identifier"
        return [contact_from_row(r) for r in self._conn.execute(sql, params)]

    def upsert(self, contacts: Iterable[Contact]) -> int:
        """Store server contacts; returns how many rows were written."""
        count = 0
        for contact in contacts:
            params = contact_params(contact)
            updates = ", ".join(f"{k} = excluded.{k}" for k in params if k != "identifier")
            self._conn.execute(
                f"INSERT INTO contacts ({', '.join(params)}) VALUES ({', '.join(':' + k for k in params)}) "
                f"ON CONFLICT(identifier) DO UPDATE SET {updates}",
                params,
            )
            count += 1
        return count
