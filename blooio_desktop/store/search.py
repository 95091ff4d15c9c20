"""Full-text search over message text (FTS5, kept in sync by triggers): ranked, per chat, prefix.

What the user types is never passed to FTS5 as syntax: each word becomes a quoted prefix term, so
"hel wor" finds "Hello world" and quotes or operators in the input cannot cause a syntax error.
Matched words in `SearchHit.snippet` are wrapped in HIGHLIGHT_START / HIGHLIGHT_END (control
characters that never occur in messages), so the UI can escape the text first and then style them.

Ranking rule: bm25 among the newest `window` matches (in the chat, when searching one), best first,
ties newest first; "newest" is the most recently stored, the order FTS5 keeps its rows in (a first
sync stores history newest chat first, so until live traffic builds up, the window of a very common
word leans to the chats synced last). A query with fewer matches than the window is ranked over all
of them. Ranking every match of a common
word costs a bm25 score per match (~250 ms for a word in 10 % of 1M messages); the window bounds
that, and walking the index newest first to find it is cheap (docs/benchmarks.md, FTS search).
"""

from __future__ import annotations

import re
import sqlite3

from blooio_desktop.core.models import SearchHit
from blooio_desktop.store.errors import mapped
from blooio_desktop.store.messages import MessageRepository

HIGHLIGHT_START = "\x02"
HIGHLIGHT_END = "\x03"
RANK_WINDOW = 2000
_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str | None:
    """`"hel"* AND "wor"*` for "hel wor"; None when there is nothing to search for."""
    words = _WORD.findall(text)
    if not words:
        return None
    return " AND ".join(f'"{word}"*' for word in words)


def _ranked_sql(in_chat: bool) -> str:
    """The window's matches, best first. Outside a chat every match above the window's lowest
    rowid is in the window, so that range is the whole filter and FTS5 applies it while walking
    its index; in a chat, the range narrows the walk and each row is then probed in the window
    (`+rowid`: a lookup in the materialized window, not one FTS query per row)."""
    return (
        "WITH newest(id) AS MATERIALIZED (SELECT messages_fts.rowid FROM messages_fts "
        + ("JOIN messages m ON m.id = messages_fts.rowid AND m.chat_id = :chat " if in_chat else "")
        + "WHERE messages_fts MATCH :match ORDER BY messages_fts.rowid DESC LIMIT :window) "
        "SELECT rowid, bm25(messages_fts) AS score, "
        f"snippet(messages_fts, 0, '{HIGHLIGHT_START}', '{HIGHLIGHT_END}', '…', 12) AS snip "
        "FROM messages_fts WHERE messages_fts MATCH :match "
        "AND rowid >= (SELECT min(id) FROM newest) "
        + ("AND +rowid IN newest " if in_chat else "")
        + "ORDER BY score, rowid DESC LIMIT :limit OFFSET :offset"
    )


_RANKED = _ranked_sql(in_chat=False)
_RANKED_IN_CHAT = _ranked_sql(in_chat=True)


class SearchIndex:
    """`window`: how many of the newest matches are ranked (the rule in the module docstring); a
    search for more hits than that widens it to `limit`."""

    def __init__(self, conn: sqlite3.Connection, *, window: int = RANK_WINDOW) -> None:
        self._conn = conn
        self._window = window

    @mapped
    def search(self, query: str, chat_id: str | None = None, limit: int = 50) -> list[SearchHit]:
        """Best matches first (bm25; lower rank is better), optionally only in one chat."""
        match = fts_query(query)
        if match is None or limit <= 0:
            return []
        messages = MessageRepository(self._conn)
        params = {"match": match, "chat": chat_id, "window": max(self._window, limit)}
        hits: list[SearchHit] = []
        offset = 0
        while len(hits) < limit:
            want = limit - len(hits)
            sql = _RANKED if chat_id is None else _RANKED_IN_CHAT
            rows = self._conn.execute(sql, {**params, "limit": want, "offset": offset}).fetchall()
            # Hidden (superseded) messages are dropped here rather than joined into the ranking,
            # which keeps the ranking inside the FTS index; a page that lost some is topped up.
            shown = messages.shown_by_rowid([row["rowid"] for row in rows])
            hits += [
                SearchHit(message=shown[row["rowid"]], snippet=row["snip"], rank=row["score"])
                for row in rows
                if row["rowid"] in shown
            ]
            if len(rows) < want:
                break
            offset += len(rows)
        return hits
