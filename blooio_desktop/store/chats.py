"""Chats and the chat list: server summaries plus what only this device knows (pins, unread, drafts).

Unread = inbound messages newer than the chat's read mark. The newest stored message overrides the
server's `last_message` summary when it is newer, so the list is right before the next sync.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from blooio_desktop.core.events import Changes
from blooio_desktop.core.identifiers import is_email, is_group_id
from blooio_desktop.core.models import Chat, ChatListItem, Direction, LastMessage, Protocol
from blooio_desktop.store.errors import mapped
from blooio_desktop.store.rows import chat_from_row, chat_params

_LIST_SQL = """
SELECT c.*,
  m.message_id AS lm_id, m.text AS lm_text, m.direction AS lm_direction, m.sort_time AS lm_time,
  (SELECT count(*) FROM messages u
     WHERE u.chat_id = c.id AND u.direction = 'inbound' AND u.sort_time > c.last_read_at) AS unread,
  COALESCE((SELECT p.protocol FROM messages p
     WHERE p.chat_id = c.id AND p.protocol != 'unknown' ORDER BY p.sort_time DESC LIMIT 1), c.protocol)
     AS lm_protocol
FROM chats c
LEFT JOIN messages m ON m.id = (
  SELECT id FROM messages WHERE chat_id = c.id AND superseded_by IS NULL
  ORDER BY sort_time DESC, message_id DESC LIMIT 1)
"""
# Exactly the expression of the `chats_list_order` index (migration 6), so no sort is needed.
_ORDER = (
    " ORDER BY c.pinned DESC,"
    " max(COALESCE(c.last_message_time, 0), COALESCE(c.activity_time, 0)) DESC, c.id"
)
_IDS_SQL = "SELECT c.id FROM chats c"
_CHUNK = 500  # ids per `IN (…)`: well under SQLite's variable limit


def chat_type(chat_id: str) -> str:
    if is_group_id(chat_id) or "," in chat_id:
        return "group"
    return "email" if is_email(chat_id) else "phone"


def ensure_chat(conn: sqlite3.Connection, chat_id: str) -> bool:
    """Create a placeholder row for a chat first seen through a message; True if it was new."""
    kind = chat_type(chat_id)
    cur = conn.execute(
        "INSERT OR IGNORE INTO chats (id, type, is_group, group_id) VALUES (?, ?, ?, ?)",
        (chat_id, kind, int(kind == "group"), chat_id if is_group_id(chat_id) else None),
    )
    return cur.rowcount > 0


class ChatRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # --- reads ------------------------------------------------------------------------------------

    @mapped
    def list_chat_items(
        self, number: str | None = None, query: str | None = None
    ) -> list[ChatListItem]:
        """The chat list: pinned first, then most recent activity; filtered by sending number/text."""
        where, params = _filters(number, query)
        sql = _LIST_SQL + (" WHERE " + " AND ".join(where) if where else "") + _ORDER
        return [_item(row) for row in self._conn.execute(sql, params)]

    @mapped
    def list_chat_ids(self, number: str | None = None, query: str | None = None) -> list[str]:
        """The chat list's ids in its order, without the per-chat counts: cheap enough for 10k chats,
        so a view can show the first screenful (`get_items`) before the rest."""
        where, params = _filters(number, query)
        sql = _IDS_SQL + (" WHERE " + " AND ".join(where) if where else "") + _ORDER
        return [row[0] for row in self._conn.execute(sql, params)]

    @mapped
    def total_unread(self) -> int:
        """Unread inbound messages over every chat that is not muted (the tray badge), in one query.

        CROSS JOIN fixes the loop order (chats outside): one short `messages_unread` index range per
        chat, ~20 ms over 1M messages, where the planner's own choice scanned the whole index (~200 ms).
        """
        row = self._conn.execute(
            "SELECT count(*) FROM chats c CROSS JOIN messages u ON u.chat_id = c.id "
            "AND u.direction = 'inbound' AND u.sort_time > c.last_read_at WHERE c.muted = 0"
        ).fetchone()
        return int(row[0])

    @mapped
    def get_items(
        self, chat_ids: Iterable[str], number: str | None = None, query: str | None = None
    ) -> dict[str, ChatListItem]:
        """The list rows of these chats that exist and pass the filters (missing ids are absent)."""
        ids = list(dict.fromkeys(chat_ids))
        where, params = _filters(number, query)
        found: dict[str, ChatListItem] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            clauses = [f"c.id IN ({','.join('?' * len(chunk))})", *where]
            sql = _LIST_SQL + " WHERE " + " AND ".join(clauses)
            for row in self._conn.execute(sql, [*chunk, *params]):
                found[row["id"]] = _item(row)
        return found

    @mapped
    def get_item(self, chat_id: str) -> ChatListItem | None:
        row = self._conn.execute(_LIST_SQL + " WHERE c.id = ?", (chat_id,)).fetchone()
        return _item(row) if row else None

    @mapped
    def get(self, chat_id: str) -> Chat | None:
        item = self.get_item(chat_id)
        return item.chat if item else None

    @mapped
    def ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT id FROM chats ORDER BY id")]

    # --- writes -----------------------------------------------------------------------------------

    def upsert(self, chats: Iterable[Chat]) -> Changes:
        """Store server summaries; local-only columns (pins, read marks, drafts) are kept."""
        touched: set[str] = set()
        for chat in chats:
            params = chat_params(chat)
            cols = ", ".join(params)
            values = ", ".join(f":{k}" for k in params)
            updates = ", ".join(f"{k} = excluded.{k}" for k in params if k != "id")
            self._conn.execute(
                f"INSERT INTO chats ({cols}) VALUES ({values}) ON CONFLICT(id) DO UPDATE SET {updates}",
                params,
            )
            touched.add(chat.id)
        return Changes(chats=frozenset(touched))

    def set_pinned(self, chat_id: str, pinned: bool) -> Changes:
        return self._set(chat_id, "pinned", int(pinned))

    def set_muted(self, chat_id: str, muted: bool) -> Changes:
        return self._set(chat_id, "muted", int(muted))

    def set_draft(self, chat_id: str, draft: str | None) -> Changes:
        return self._set(chat_id, "draft", draft or None)

    def set_from_number(self, chat_id: str, number: str | None) -> Changes:
        return self._set(chat_id, "from_number", number)

    def set_group_name(self, chat_id: str, name: str | None) -> Changes:
        return self._set(chat_id, "group_name", name)

    def set_protocol(self, chat_id: str, protocol: Protocol) -> Changes:
        return self._set(chat_id, "protocol", protocol.value)

    def mark_read(self, chat_id: str, at_ms: int | None = None) -> Changes:
        """Everything up to `at_ms` (default: the newest stored message) counts as read."""
        if at_ms is None:
            row = self._conn.execute(
                "SELECT max(sort_time) FROM messages WHERE chat_id = ?", (chat_id,)
            ).fetchone()
            at_ms = int(row[0] or 0)
        cur = self._conn.execute(
            "UPDATE chats SET last_read_at = ? WHERE id = ? AND last_read_at < ?",
            (at_ms, chat_id, at_ms),
        )
        return Changes(chats=frozenset({chat_id})) if cur.rowcount else Changes()

    def _set(self, chat_id: str, column: str, value: object) -> Changes:
        ensure_chat(self._conn, chat_id)
        cur = self._conn.execute(
            f"UPDATE chats SET {column} = ? WHERE id = ? AND {column} IS NOT ?",
            (value, chat_id, value),
        )
        return Changes(chats=frozenset({chat_id})) if cur.rowcount else Changes()


def _item(row: sqlite3.Row) -> ChatListItem:
    local_last = None
    if row["lm_id"] is not None:
        direction = Direction(row["lm_direction"])
        local_last = LastMessage(row["lm_id"], row["lm_text"], direction, row["lm_time"])
    return ChatListItem(
        chat=chat_from_row(row, local_last),
        unread_count=row["unread"],
        pinned=bool(row["pinned"]),
        muted=bool(row["muted"]),
        protocol=Protocol.parse(row["lm_protocol"]),
        from_number=row["from_number"],
        draft=row["draft"],
    )


def _filters(number: str | None, query: str | None) -> tuple[list[str], list[Any]]:
    """WHERE clauses (and their parameters) for the sending-number and text filters."""
    where: list[str] = []
    params: list[Any] = []
    if number:
        where.append(
            "(c.from_number = ? OR EXISTS (SELECT 1 FROM messages n WHERE n.chat_id = c.id AND n.internal_id = ?))"
        )
        params += [number, number]
    if query and query.strip():
        like = f"%{_escape_like(query.strip())}%"
        where.append(
            "(c.id LIKE ? ESCAPE '\\' OR c.contact_name LIKE ? ESCAPE '\\' OR c.group_name LIKE ? ESCAPE '\\')"
        )
        params += [like, like, like]
    return where, params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
