"""Full-text search over message text (FTS5, kept in sync by triggers): ranked, per chat, prefix.

What the user types is never passed to FTS5 as syntax: each word becomes a quoted prefix term, so
"hel wor" finds "Hello world" and quotes or operators in the input cannot cause a syntax error.
Matched words in `SearchHit.snippet` are wrapped in HIGHLIGHT_START / HIGHLIGHT_END (control
characters that never occur in messages), so the UI can escape the text first and then style them.
"""

from __future__ import annotations

import re
import sqlite3

from blooio_desktop.core.models import SearchHit
from blooio_desktop.store.errors import mapped
from blooio_desktop.store.messages import MessageRepository

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """`"hel"* AND "wor"*` for "hel wor"; None when there is nothing to search for."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " AND ".join(f'"{word}"*' for word in words)


class SearchIndex:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    @mapped
    def search(self, query: str, chat_id: str | None = None, limit: int = 50) -> list[SearchHit]:
        """Best matches first (bm25; lower rank is better), optionally only in one chat."""
        match = fts_query(query)
        if match is None:
            return []
        sql = (
            "SELECT m.message_id, bm25(messages_fts) AS rank, "
            f"snippet(messages_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 12) AS snip "
            "FROM messages_fts JOIN messages m ON m.id = messages_fts.rowid "
            "WHERE messages_fts MATCH ? AND m.superseded_by IS NULL"
        )
        params: list[object] = [match]
        if chat_id is not None:
            sql += " AND m.chat_id = ?"
            params.append(chat_id)
        sql += " ORDER BY rank, m.sort_time DESC LIMIT ?"
        params.append(limit)
        rows = self._conn.execute(sql, params).fetchall()
        messages = MessageRepository(self._conn)
        hits = []
        for row in rows:
            message = messages.get(row["message_id"])
            if message is not None:
                hits.append(
                    SearchHit(message=message, snippet=row["snip"], rank=float(row["rank"]))
                )
        return hits
