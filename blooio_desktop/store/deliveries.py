"""The inspector's tables: every webhook delivery the listener saw, and every forward of one.

Headers arrive already redacted (the listener redacts at capture time), so nothing stored here can
leak a signature or an API key. Rows are immutable once written, except the pruning of old ones.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.store.errors import mapped

_COLUMNS = (
    "received_at, method, path, headers_json, body, verdict, response_status, response_body, "
    "event, message_id, processing_ms, delay_ms, replay_of, note"
)


@dataclass(frozen=True, slots=True)
class ForwardAttempt:
    """One re-signed copy of a delivery posted to a user's own server (`--forward-to`)."""

    delivery_id: int
    target_url: str
    status: int | None
    error: str | None
    duration_ms: float | None
    attempted_at: float
    id: int | None = None


@dataclass(frozen=True, slots=True)
class DeliveryFilter:
    """Which deliveries a list or an export covers; empty fields mean "any"."""

    verdicts: tuple[str, ...] = ()
    events: tuple[str, ...] = ()
    message_id: str | None = None
    since: float | None = None  # unix seconds, inclusive
    until: float | None = None  # unix seconds, exclusive

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        for column, values in (("verdict", self.verdicts), ("event", self.events)):
            if values:
                clauses.append(f"{column} IN ({','.join('?' * len(values))})")
                params.extend(values)
        for clause, value in (
            ("message_id = ?", self.message_id),
            ("received_at >= ?", self.since),
            ("received_at < ?", self.until),
        ):
            if value is not None:
                clauses.append(clause)
                params.append(value)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class DeliveryRepository:
    """Reads and writes on one connection; write methods must run inside `db.transaction()`."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def insert(self, delivery: WebhookDelivery) -> int:
        cursor = self._conn.execute(
            # replay_of comes from a request header: keep it only if that delivery still exists.
            f"INSERT INTO webhook_deliveries ({_COLUMNS}) VALUES ({'?, ' * 12}"
            "(SELECT id FROM webhook_deliveries WHERE id = ?), ?)",
            (
                delivery.received_at,
                delivery.method,
                delivery.path,
                json.dumps([list(pair) for pair in delivery.headers]),
                delivery.body,
                delivery.verdict,
                delivery.response_status,
                delivery.response_body,
                delivery.event,
                delivery.message_id,
                delivery.processing_ms,
                delivery.delay_ms,
                delivery.replay_of,
                delivery.note,
            ),
        )
        return int(cursor.lastrowid or 0)

    def add_forward_attempt(self, attempt: ForwardAttempt) -> int:
        cursor = self._conn.execute(
            "INSERT INTO forward_attempts (delivery_id, target_url, status, error, duration_ms, "
            "attempted_at) VALUES (?, ?, ?, ?, ?, ?)",
            (
                attempt.delivery_id,
                attempt.target_url,
                attempt.status,
                attempt.error,
                attempt.duration_ms,
                attempt.attempted_at,
            ),
        )
        return int(cursor.lastrowid or 0)

    def prune(self, keep: int) -> int:
        """Delete all but the newest `keep` deliveries (their forward attempts go with them)."""
        cursor = self._conn.execute(
            "DELETE FROM webhook_deliveries WHERE id <= "
            "(SELECT id FROM webhook_deliveries ORDER BY id DESC LIMIT 1 OFFSET ?)",
            (keep,),
        )
        return cursor.rowcount

    def clear(self) -> None:
        self._conn.execute("DELETE FROM webhook_deliveries")

    @mapped
    def get(self, delivery_id: int) -> WebhookDelivery | None:
        row = self._conn.execute(
            f"SELECT id, {_COLUMNS} FROM webhook_deliveries WHERE id = ?", (delivery_id,)
        ).fetchone()
        return _delivery(row) if row else None

    @mapped
    def recent(
        self, query: DeliveryFilter | None = None, *, limit: int = 200, before_id: int | None = None
    ) -> list[WebhookDelivery]:
        """Newest first; page further back with `before_id` = the last id shown."""
        where, params = (query or DeliveryFilter()).where()
        if before_id is not None:
            where += (" AND" if where else " WHERE") + " id < ?"
            params.append(before_id)
        rows = self._conn.execute(
            f"SELECT id, {_COLUMNS} FROM webhook_deliveries{where} ORDER BY id DESC LIMIT ?",
            [*params, limit],
        )
        return [_delivery(row) for row in rows]

    def iter_oldest_first(self, query: DeliveryFilter | None = None) -> Iterator[WebhookDelivery]:
        """Every matching delivery in arrival order, streamed (for exports)."""
        where, params = (query or DeliveryFilter()).where()
        cursor = self._conn.execute(
            f"SELECT id, {_COLUMNS} FROM webhook_deliveries{where} ORDER BY id", params
        )
        for row in cursor:
            yield _delivery(row)

    @mapped
    def forward_attempts(self, delivery_id: int) -> list[ForwardAttempt]:
        rows = self._conn.execute(
            "SELECT * FROM forward_attempts WHERE delivery_id = ? ORDER BY id", (delivery_id,)
        )
        return [
            ForwardAttempt(
                id=row["id"],
                delivery_id=row["delivery_id"],
                target_url=row["target_url"],
                status=row["status"],
                error=row["error"],
                duration_ms=row["duration_ms"],
                attempted_at=row["attempted_at"],
            )
            for row in rows
        ]

    @mapped
    def count(self, query: DeliveryFilter | None = None) -> int:
        where, params = (query or DeliveryFilter()).where()
        row = self._conn.execute(
            f"SELECT count(*) FROM webhook_deliveries{where}", params
        ).fetchone()
        return int(row[0])


def _delivery(row: sqlite3.Row) -> WebhookDelivery:
    headers = tuple((str(k), str(v)) for k, v in json.loads(row["headers_json"]))
    return WebhookDelivery(
        id=row["id"],
        received_at=row["received_at"],
        method=row["method"],
        path=row["path"],
        headers=headers,
        body=bytes(row["body"]),
        verdict=row["verdict"],
        response_status=row["response_status"],
        response_body=row["response_body"],
        event=row["event"],
        message_id=row["message_id"],
        processing_ms=row["processing_ms"],
        delay_ms=row["delay_ms"],
        replay_of=row["replay_of"],
        note=row["note"],
    )
