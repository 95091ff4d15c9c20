"""The outbox table: every send is written here, with its Idempotency-Key, before any HTTP request.

States: pending → sending → sent, or → failed (non-retryable; the user may retry or discard). A retryable
failure goes back to pending with `next_attempt_at`. Rows left in `sending` by a crash are requeued on
start and re-sent with the same key, which the server answers with the original message (exactly once).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import OutboxItem, OutboxState
from blooio_desktop.store.errors import mapped
from blooio_desktop.store.rows import insert_sql, outbox_from_row, outbox_params

_PENDING = OutboxState.PENDING.value
_SENDING = OutboxState.SENDING.value
# Oldest waiting items a claim looks at. A chat with more queued than this ahead of the others
# keeps them waiting until its own queue shrinks — never out of order, never a long scan.
CLAIM_SCAN_ROWS = 1_000


class OutboxRepository:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    # --- reads ------------------------------------------------------------------------------------

    @mapped
    def get(self, key: str) -> OutboxItem | None:
        row = self._conn.execute(
            "SELECT * FROM outbox WHERE idempotency_key = ?", (key,)
        ).fetchone()
        return outbox_from_row(row) if row else None

    @mapped
    def for_message(self, message_id: str) -> OutboxItem | None:
        """The item that sent (or is sending) the message shown as `message_id` (local or server id)."""
        row = self._conn.execute(
            "SELECT * FROM outbox WHERE local_message_id = ? OR server_message_id = ? "
            "ORDER BY created_at DESC LIMIT 1",
            (message_id, message_id),
        ).fetchone()
        return outbox_from_row(row) if row else None

    @mapped
    def items(self, states: Iterable[OutboxState] | None = None) -> list[OutboxItem]:
        """What the outbox view shows, oldest first."""
        if states is None:
            rows = self._conn.execute("SELECT * FROM outbox ORDER BY created_at, idempotency_key")
        else:
            wanted = [s.value for s in states]
            marks = ",".join("?" * len(wanted))
            rows = self._conn.execute(
                f"SELECT * FROM outbox WHERE state IN ({marks}) ORDER BY created_at, idempotency_key",
                wanted,
            )
        return [outbox_from_row(r) for r in rows]

    @mapped
    def next_due_at(self) -> float | None:
        """When the earliest waiting item may be attempted (0 = now), or None if nothing waits."""
        # One step down the (state, next_attempt_at) index: NULL (due now) sorts first.
        row = self._conn.execute(
            "SELECT COALESCE(next_attempt_at, 0) FROM outbox WHERE state = ? "
            "ORDER BY next_attempt_at LIMIT 1",
            (_PENDING,),
        ).fetchone()
        return None if row is None else float(row[0])

    @mapped
    def unfinished(self) -> int:
        row = self._conn.execute(
            "SELECT count(*) FROM outbox WHERE state IN (?, ?)", (_PENDING, _SENDING)
        ).fetchone()
        return int(row[0])

    # --- writes -----------------------------------------------------------------------------------

    def add(self, item: OutboxItem) -> Changes:
        params = outbox_params(item)
        self._conn.execute(insert_sql("outbox", params), params)
        return Changes(outbox=frozenset({item.idempotency_key}))

    def claim_due(self, now: float, limit: int) -> list[OutboxItem]:
        """Move up to `limit` due items to `sending` (attempts + 1) and return them, oldest first.

        A chat's messages go out one at a time, in the order they were written, so they arrive in
        that order: an item is taken only when nothing older for its chat is waiting or in flight
        (a retry's backoff holds the chat's later messages behind it; a failed item does not).
        """
        if limit <= 0:
            return []
        held = {
            row[0]
            for row in self._conn.execute(
                "SELECT DISTINCT chat_id FROM outbox WHERE state = ?", (_SENDING,)
            )
        }
        keys: list[str] = []
        waiting = self._conn.execute(
            "SELECT idempotency_key, chat_id, COALESCE(next_attempt_at, 0) FROM outbox "
            "WHERE state = ? ORDER BY created_at, idempotency_key LIMIT ?",
            (_PENDING, CLAIM_SCAN_ROWS),
        )
        for key, chat_id, due_at in waiting:
            if chat_id in held:
                continue
            held.add(chat_id)  # this chat's later items wait behind this one
            if due_at <= now:
                keys.append(key)
                if len(keys) == limit:
                    break
        waiting.close()
        self._conn.executemany(
            "UPDATE outbox SET state = ?, attempts = attempts + 1 WHERE idempotency_key = ?",
            [(_SENDING, k) for k in keys],
        )
        return [item for item in (self.get(k) for k in keys) if item is not None]

    def requeue_in_flight(self) -> Changes:
        """After a crash: whatever was `sending` goes back to `pending`, to be re-sent with its key."""
        keys = [
            r[0]
            for r in self._conn.execute(
                "SELECT idempotency_key FROM outbox WHERE state = ?", (_SENDING,)
            )
        ]
        self._conn.execute(
            "UPDATE outbox SET state = ?, next_attempt_at = NULL WHERE state = ?",
            (_PENDING, _SENDING),
        )
        return Changes(outbox=frozenset(keys))

    def mark_sent(self, key: str, server_message_id: str) -> Changes:
        return self._update(
            key,
            state=OutboxState.SENT.value,
            server_message_id=server_message_id,
            last_error=None,
            next_attempt_at=None,
        )

    def mark_retry(self, key: str, error: str, next_attempt_at: float) -> Changes:
        return self._update(key, state=_PENDING, last_error=error, next_attempt_at=next_attempt_at)

    def mark_failed(self, key: str, error: str) -> Changes:
        return self._update(
            key, state=OutboxState.FAILED.value, last_error=error, next_attempt_at=None
        )

    def reopen(self, key: str, text: str | None = None) -> Changes:
        """A failed item the user retries (optionally edited): pending again, same key."""
        if text is not None:
            self._update(key, text=text)
        return self._update(key, state=_PENDING, last_error=None, next_attempt_at=None)

    def remove(self, key: str) -> Changes:
        cur = self._conn.execute("DELETE FROM outbox WHERE idempotency_key = ?", (key,))
        return Changes(outbox=frozenset({key})) if cur.rowcount else Changes()

    def _update(self, key: str, **values: object) -> Changes:
        sets = ", ".join(f"{name} = :{name}" for name in values)
        cur = self._conn.execute(
            f"UPDATE outbox SET {sets} WHERE idempotency_key = :key", {**values, "key": key}
        )
        return Changes(outbox=frozenset({key})) if cur.rowcount else Changes()
