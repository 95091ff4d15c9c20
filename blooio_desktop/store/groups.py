"""Named groups and their members, cached from the API."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from blooio_desktop.core.models import Group, GroupMember
from blooio_desktop.store.errors import mapped
from blooio_desktop.store.rows import group_from_row, group_params, member_from_row, member_params


class GroupRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @mapped
    def get(self, group_id: str) -> Group | None:
        row = self._conn.execute("SELECT * FROM groups WHERE group_id = ?", (group_id,)).fetchone()
        return group_from_row(row) if row else None

    @mapped
    def all_groups(self) -> list[Group]:
        rows = self._conn.execute(
            "SELECT * FROM groups ORDER BY COALESCE(last_message_time, 0) DESC, group_id"
        )
        return [group_from_row(r) for r in rows]

    @mapped
    def members(self, group_id: str) -> list[GroupMember]:
        rows = self._conn.execute(
            "SELECT * FROM group_members WHERE group_id = ? ORDER BY lower(COALESCE(name, identifier))",
            (group_id,),
        )
        return [member_from_row(r) for r in rows]

    def upsert(self, groups: Iterable[Group]) -> None:
        for group in groups:
            params = group_params(group)
            updates = ", ".join(f"{k} = excluded.{k}" for k in params if k != "group_id")
            self._conn.execute(
                f"INSERT INTO groups ({', '.join(params)}) VALUES ({', '.join(':' + k for k in params)}) "
                f"ON CONFLICT(group_id) DO UPDATE SET {updates}",
                params,
            )

    def replace_members(self, group_id: str, members: Iterable[GroupMember]) -> None:
        """The member list as the server last reported it (the group row must exist)."""
        self._conn.execute("DELETE FROM group_members WHERE group_id = ?", (group_id,))
        self._conn.executemany(
            "INSERT OR REPLACE INTO group_members (group_id, identifier, contact_id, name, added_at) "
            "VALUES (:group_id, :identifier, :contact_id, :name, :added_at)",
            [member_params(group_id, m) for m in members],
        )

    def delete(self, group_id: str) -> None:
        self._conn.execute("DELETE FROM groups WHERE group_id = ?", (group_id,))
