"""Messages with their attachments and reactions: newest-first pages, merge-on-write, `Changes` out.

Merge rules (issue 3): a message id is stored once; status only moves forward (`merge_status`);
reactions are set per (message, sender, reaction) and an older report never overrides a newer one.
Rows sort by (sort_time, message_id); sort_time is the send time when known, else the time the row was
created here, and it never changes afterwards, so a row keeps its place when its id is reconciled.
A superseded row (a failed message the user sent again as a new message) stays stored and keeps
merging server reports, but is hidden: pages, search and the chat list skip it, and no write reports
it in a `Changes` (a view would otherwise fetch it again). `get` still returns it.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence

from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import Attachment, Message, Protocol, Reaction
from blooio_desktop.core.status import MessageStatus, merge_status
from blooio_desktop.store.chats import ensure_chat
from blooio_desktop.store.errors import mapped
from blooio_desktop.store.rows import (
    OUR_SENDER,
    attachment_from_row,
    insert_sql,
    message_from_row,
    message_params,
    reaction_from_row,
)

SortKey = tuple[int, str]


def merge_message(old: Message, new: Message, *, retried: bool = False) -> Message:
    """What we know after `new` is reported for a message stored as `old` (fields never un-learnt)."""
    status = merge_status(old.status, new.status, retried=retried)
    if status in (MessageStatus.FAILED, MessageStatus.CANCELLED) and not retried:
        error = new.error or old.error
    else:
        error = new.error
    return dataclasses.replace(
        old,
        text=new.text if new.text is not None else old.text,
        attachments=new.attachments or old.attachments,
        sender=new.sender or old.sender,
        time_sent=new.time_sent or old.time_sent,
        time_delivered=new.time_delivered or old.time_delivered,
        status=status,
        protocol=new.protocol if new.protocol is not Protocol.UNKNOWN else old.protocol,
        error=error,
        external_id=new.external_id or old.external_id,
        internal_id=new.internal_id or old.internal_id,
        reply_to=new.reply_to or old.reply_to,
    )


class MessageRepository:
    """Messages over one connection: `db.read()` for queries, a transaction's connection for writes."""

    def __init__(self, conn: sqlite3.Connection, *, clock: Callable[[], float] = time.time) -> None:
        self._conn = conn
        self._clock = clock

    # --- reads ------------------------------------------------------------------------------------

    @mapped
    def get(self, message_id: str) -> Message | None:
        rows = self._conn.execute(
            "SELECT * FROM messages WHERE message_id = ?", (message_id,)
        ).fetchall()
        found = self._hydrate(rows)
        return found[0] if found else None

    @mapped
    def page(self, chat_id: str, before: SortKey | None = None, limit: int = 50) -> list[Message]:
        """Up to `limit` messages of a chat, newest first, strictly older than the `before` sort key."""
        if before is None:
            rows = self._conn.execute(
                "SELECT * FROM messages WHERE chat_id = ? AND superseded_by IS NULL "
                "ORDER BY sort_time DESC, message_id DESC LIMIT ?",
                (chat_id, limit),
            ).fetchall()
        else:
            rows = self._conn.execute(
                "SELECT * FROM messages WHERE chat_id = ? AND (sort_time, message_id) < (?, ?) "
                "AND superseded_by IS NULL ORDER BY sort_time DESC, message_id DESC LIMIT ?",
                (chat_id, before[0], before[1], limit),
            ).fetchall()
        return self._hydrate(rows)

    @mapped
    def page_after(self, chat_id: str, after: SortKey, limit: int = 50) -> list[Message]:
        """Up to `limit` messages of a chat, OLDEST first, strictly newer than the `after` sort key:
        a thread window that dropped its newest rows fetches them back this way."""
        rows = self._conn.execute(
            "SELECT * FROM messages WHERE chat_id = ? AND (sort_time, message_id) > (?, ?) "
            "AND superseded_by IS NULL ORDER BY sort_time ASC, message_id ASC LIMIT ?",
            (chat_id, after[0], after[1], limit),
        ).fetchall()
        return self._hydrate(rows)

    @mapped
    def shown_by_rowid(self, rowids: Sequence[int]) -> dict[int, Message]:
        """The rows among `rowids` that views show (not superseded), in one read: search hits
        carry the FTS rowid, not the message id."""
        if not rowids:
            return {}
        marks = ",".join("?" * len(rowids))
        rows = self._conn.execute(
            f"SELECT * FROM messages WHERE id IN ({marks}) AND superseded_by IS NULL", list(rowids)
        ).fetchall()
        return {row["id"]: msg for row, msg in zip(rows, self._hydrate(rows), strict=True)}

    @mapped
    def sort_key(self, message_id: str) -> SortKey | None:
        """The key to pass as `before` to fetch the messages older than this one."""
        row = self._conn.execute(
            "SELECT sort_time, message_id FROM messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    @mapped
    def superseded_by(self, message_id: str) -> str | None:
        """The Idempotency-Key of the send that replaced this (failed) message, if it was resent."""
        row = self._conn.execute(
            "SELECT superseded_by FROM messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        return row[0] if row else None

    @mapped
    def last_server_time(self, chat_id: str) -> int | None:
        """Send time of the newest message the server told us about (backfill resumes from it).

        Our own sends are left out: their time may still be this machine's clock, not the server's.
        """
        row = self._conn.execute(
            "SELECT max(time_sent) FROM messages WHERE chat_id = ? AND is_local = 0 AND message_id "
            "NOT IN (SELECT server_message_id FROM outbox WHERE server_message_id IS NOT NULL)",
            (chat_id,),
        ).fetchone()
        return row[0] if row else None

    @mapped
    def existing(self, message_ids: Iterable[str]) -> set[str]:
        ids = list(message_ids)
        found: set[str] = set()
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                r[0]
                for r in self._conn.execute(
                    f"SELECT message_id FROM messages WHERE message_id IN ({marks})", chunk
                )
            )
        return found

    @mapped
    def count(self, chat_id: str | None = None) -> int:
        if chat_id is None:
            return int(self._conn.execute("SELECT count(*) FROM messages").fetchone()[0])
        return int(
            self._conn.execute(
                "SELECT count(*) FROM messages WHERE chat_id = ?", (chat_id,)
            ).fetchone()[0]
        )

    # --- writes (inside a transaction) -------------------------------------------------------------

    def upsert(
        self, messages: Iterable[Message], *, is_local: bool = False, retried: bool = False
    ) -> Changes:
        """Insert new messages, merge known ones (dedupe by id); report only rows that changed."""
        inserted: list[tuple[str, str]] = []
        updated: list[tuple[str, str]] = []
        for message in messages:
            old = self.get(message.message_id)
            if old is None:
                self._insert(message, is_local=is_local)
                inserted.append((message.chat_id, message.message_id))
                continue
            changed = self._update(
                old, merge_message(old, message, retried=retried), local=is_local
            )
            reacted = self._merge_reactions(message.message_id, message.reactions)
            if (reacted or changed) and self._shown(message.message_id):
                updated.append((message.chat_id, message.message_id))
        chats = frozenset(chat for chat, _ in inserted + updated)
        return Changes(
            chats=chats, inserted_messages=tuple(inserted), updated_messages=tuple(updated)
        )

    def apply_status(
        self,
        message_id: str,
        status: MessageStatus,
        *,
        time_sent: int | None = None,
        time_delivered: int | None = None,
        error: str | None = None,
    ) -> Changes:
        """Merge a status report into a stored message (no-op for an unknown id: see `upsert`)."""
        old = self.get(message_id)
        if old is None:
            return Changes()
        new = dataclasses.replace(
            old,
            status=status,
            time_sent=time_sent,
            time_delivered=time_delivered,
            error=error,
            text=None,
            attachments=(),
        )
        changed = self._update(old, merge_message(old, new), local=False)
        if not changed or not self._shown(message_id):
            return Changes()
        return Changes(
            chats=frozenset({old.chat_id}), updated_messages=((old.chat_id, message_id),)
        )

    def apply_reaction(self, message_id: str, chat_id: str | None, reaction: Reaction) -> Changes:
        """Add or remove one tapback; stored even before its message arrives."""
        if not self._merge_reactions(message_id, (reaction,)):
            return Changes()
        chat = chat_id or self._chat_of(message_id)
        if chat is None or not self.existing((message_id,)) or not self._shown(message_id):
            return Changes()
        return Changes(chats=frozenset({chat}), updated_messages=((chat, message_id),))

    def rename(self, old_id: str, new_id: str, update: Message | None = None) -> Changes:
        """Give a local (optimistic) message its server id, keeping its place in the chat.

        If the server id is already stored (a webhook beat the send response), the two rows are
        merged into the server one. Either way the Changes report `old_id` removed and `new_id`
        inserted, with the same sort key, so a view can swap the row in place.
        """
        old = self.get(old_id)
        if old is None:
            return self.upsert((update,)) if update else Changes()
        merged = dataclasses.replace(old, message_id=new_id)
        if update is not None:
            merged = merge_message(merged, update)
        server = self.get(new_id)
        if server is not None:
            sort_time = self._conn.execute(
                "SELECT sort_time FROM messages WHERE message_id = ?", (old_id,)
            ).fetchone()[0]
            self._conn.execute("DELETE FROM messages WHERE message_id = ?", (old_id,))
            server_time = dataclasses.replace(
                merged, time_sent=server.time_sent or merged.time_sent
            )
            self._update(server, merge_message(server, server_time), local=False)
            self._conn.execute(
                "UPDATE messages SET sort_time = ? WHERE message_id = ?", (sort_time, new_id)
            )
        else:
            self._conn.execute(
                "UPDATE messages SET message_id = ? WHERE message_id = ?", (new_id, old_id)
            )
            self._update(dataclasses.replace(old, message_id=new_id), merged, local=False)
        self._conn.execute(
            "UPDATE reactions SET message_id = ? WHERE message_id = ?", (new_id, old_id)
        )
        return Changes(
            chats=frozenset({old.chat_id}),
            removed_messages=((old.chat_id, old_id),),
            inserted_messages=((old.chat_id, new_id),),
        )

    def supersede(self, message_id: str, by_key: str) -> Changes:
        """Hide a failed message that was sent again as the outbox item `by_key` (reported removed).

        The row stays (so late receipts and backfill merge into it instead of re-creating it), and
        upserts never clear the mark.
        """
        chat = self._chat_of(message_id)
        if chat is None:
            return Changes()
        self._conn.execute(
            "UPDATE messages SET superseded_by = ? WHERE message_id = ?", (by_key, message_id)
        )
        return Changes(chats=frozenset({chat}), removed_messages=((chat, message_id),))

    def delete(self, message_id: str) -> Changes:
        row = self._conn.execute(
            "SELECT chat_id FROM messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        if row is None:
            return Changes()
        self._conn.execute("DELETE FROM messages WHERE message_id = ?", (message_id,))
        self._conn.execute("DELETE FROM reactions WHERE message_id = ?", (message_id,))
        return Changes(chats=frozenset({row[0]}), removed_messages=((row[0], message_id),))

    # --- internals ---------------------------------------------------------------------------------

    def _insert(self, message: Message, *, is_local: bool) -> None:
        ensure_chat(self._conn, message.chat_id)
        sort_time = message.time_sent or int(self._clock() * 1000)
        params = message_params(message, sort_time, is_local=is_local)
        cur = self._conn.execute(insert_sql("messages", params), params)
        self._write_attachments(int(cur.lastrowid or 0), message.attachments)
        self._merge_reactions(message.message_id, message.reactions)

    def _update(self, old: Message, new: Message, *, local: bool) -> bool:
        """Write `new` over the stored `old`; True when anything a view shows changed."""
        if not local:
            self._conn.execute(
                "UPDATE messages SET is_local = 0 WHERE message_id = ? AND is_local = 1",
                (old.message_id,),
            )
        if new == old:
            return False
        params = message_params(new, 0, is_local=local)
        for name in ("sort_time", "is_local", "message_id"):
            del params[name]
        sets = ", ".join(f"{name} = :{name}" for name in params)
        self._conn.execute(
            f"UPDATE messages SET {sets} WHERE message_id = :old_id",
            {**params, "old_id": old.message_id},
        )
        if new.attachments != old.attachments:
            rowid = self._conn.execute(
                "SELECT id FROM messages WHERE message_id = ?", (old.message_id,)
            ).fetchone()[0]
            self._conn.execute("DELETE FROM attachments WHERE message_rowid = ?", (rowid,))
            self._write_attachments(rowid, new.attachments)
        return True

    def _write_attachments(self, rowid: int, attachments: Sequence[Attachment]) -> None:
        self._conn.executemany(
            "INSERT INTO attachments (message_rowid, position, url, name, mime_type, size) VALUES (?, ?, ?, ?, ?, ?)",
            [(rowid, i, a.url, a.name, a.mime_type, a.size) for i, a in enumerate(attachments)],
        )

    def _merge_reactions(self, message_id: str, reactions: Iterable[Reaction]) -> bool:
        changed = False
        for reaction in reactions:
            sender = reaction.sender or OUR_SENDER
            row = self._conn.execute(
                "SELECT is_added, time_sent FROM reactions WHERE message_id = ? AND sender = ? AND reaction = ?",
                (message_id, sender, reaction.reaction),
            ).fetchone()
            if row is not None:
                stale = reaction.time_sent and row[1] and reaction.time_sent < row[1]
                if stale or (
                    bool(row[0]) == reaction.is_added and (reaction.time_sent or row[1]) == row[1]
                ):
                    continue
            self._conn.execute(
                "INSERT OR REPLACE INTO reactions (message_id, sender, reaction, is_added, time_sent) "
                "VALUES (?, ?, ?, ?, ?)",
                (
                    message_id,
                    sender,
                    reaction.reaction,
                    int(reaction.is_added),
                    reaction.time_sent or (row[1] if row else None),
                ),
            )
            changed = True
        return changed

    def _shown(self, message_id: str) -> bool:
        """False for a superseded row: its changes concern no view."""
        return self.superseded_by(message_id) is None

    def _chat_of(self, message_id: str) -> str | None:
        row = self._conn.execute(
            "SELECT chat_id FROM messages WHERE message_id = ?", (message_id,)
        ).fetchone()
        return row[0] if row else None

    def _hydrate(self, rows: list[sqlite3.Row]) -> list[Message]:
        if not rows:
            return []
        rowids = [r["id"] for r in rows]
        marks = ",".join("?" * len(rowids))
        attachments: dict[int, list[Attachment]] = {}
        for a in self._conn.execute(
            f"SELECT * FROM attachments WHERE message_rowid IN ({marks}) ORDER BY message_rowid, position",
            rowids,
        ):
            attachments.setdefault(a["message_rowid"], []).append(attachment_from_row(a))
        ids = [r["message_id"] for r in rows]
        reactions: dict[str, list[Reaction]] = {}
        for r in self._conn.execute(
            f"SELECT * FROM reactions WHERE message_id IN ({marks}) ORDER BY time_sent, sender, reaction",
            ids,
        ):
            reactions.setdefault(r["message_id"], []).append(reaction_from_row(r))
        return [
            message_from_row(r, attachments.get(r["id"], ()), reactions.get(r["message_id"], ()))
            for r in rows
        ]
