"""The webhook inspector: records every delivery, replays and re-signs them, forwards, exports.

Deliveries are written by the app's webhook intake (`services.webhook_intake`), in the same
transaction as the events they carried, through `insert`; once committed, `recorded` publishes each
as `DeliveryRecorded` (the workbench adds one row at a time) and one `Changes(deliveries=…)` per
batch, and forwards the verified ones. The store keeps at most `max_rows` (oldest pruned). Replays go
back through the real listener, so what the inspector shows is exactly what the app did with them.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sqlite3
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.forwarding import Forwarder
from blooio_desktop.services.http_client import Poster
from blooio_desktop.store.database import Database
from blooio_desktop.store.deliveries import DeliveryFilter, DeliveryRepository, ForwardAttempt
from blooio_desktop.webhook.listener import REPLAY_OF_HEADER
from blooio_desktop.webhook.outgoing import SigningMode, webhook_headers
from blooio_desktop.webhook.redaction import redact_headers
from blooio_desktop.webhook.signature import Verdict

log = logging.getLogger(__name__)

DEFAULT_MAX_ROWS = 20_000
_PRUNE_EVERY = 100  # deliveries between two prunes
_FORWARDED_VERDICTS = frozenset({Verdict.VALID.value, Verdict.LEGACY.value})


@dataclass(frozen=True, slots=True)
class DeliveryRecorded:
    """A delivery was stored (it has its `id`)."""

    delivery: WebhookDelivery


@dataclass(frozen=True, slots=True)
class ForwardRecorded:
    """A forward attempt of delivery `attempt.delivery_id` finished and was stored."""

    attempt: ForwardAttempt


@dataclass(frozen=True, slots=True)
class ReplayResult:
    """What the listener answered to a replay."""

    status: int
    body: str


class InspectorService:
    def __init__(
        self,
        db: Database,
        bus: EventBus,
        *,
        http: Poster,
        listener_url: Callable[[], str | None],
        secret_provider: Callable[[], Sequence[str]],
        forwarder: Forwarder | None = None,
        max_rows: int = DEFAULT_MAX_ROWS,
    ) -> None:
        self._db = db
        self._bus = bus
        self._http = http
        self._listener_url = listener_url
        self._secrets = secret_provider
        self.forwarder = forwarder
        self._max_rows = max_rows
        self._tasks: set[asyncio.Task[None]] = set()

    # --- recording ---

    def insert(self, conn: sqlite3.Connection, deliveries: Sequence[WebhookDelivery]) -> list[int]:
        """Store deliveries as the listener drafted them (headers already redacted), inside the
        caller's write; returns their ids. Prunes to `max_rows` whenever the ids pass a multiple of
        _PRUNE_EVERY (a range delete: cheap, but not free)."""
        repo = DeliveryRepository(conn)
        ids = [repo.insert(delivery) for delivery in deliveries]
        if any(new_id % _PRUNE_EVERY == 0 for new_id in ids):
            repo.prune(self._max_rows)
        return ids

    def recorded(self, stored: Sequence[WebhookDelivery]) -> None:
        """A committed batch (each delivery with its id): publish it and forward the verified ones."""
        for delivery in stored:
            self._bus.publish(DeliveryRecorded(delivery))
        self._bus.publish(Changes(deliveries=tuple(d.id or 0 for d in stored), origin="inspector"))
        for delivery in stored:
            if self.forwarder and delivery.verdict in _FORWARDED_VERDICTS and delivery.event:
                self._spawn(self._forward(delivery))

    async def _forward(self, delivery: WebhookDelivery) -> None:
        assert self.forwarder is not None
        for attempt in await self.forwarder.forward(delivery):
            new_id = await self._db.write(_add_attempt(attempt))
            self._bus.publish(ForwardRecorded(replace(attempt, id=new_id)))
            self._bus.publish(Changes(deliveries=(delivery.id or 0,), origin="inspector"))

    # --- reading ---

    def recent(
        self, query: DeliveryFilter | None = None, *, limit: int = 200, before_id: int | None = None
    ) -> list[WebhookDelivery]:
        return DeliveryRepository(self._db.read()).recent(query, limit=limit, before_id=before_id)

    def get(self, delivery_id: int) -> WebhookDelivery:
        found = DeliveryRepository(self._db.read()).get(delivery_id)
        if found is None:
            raise ValidationError(f"no delivery #{delivery_id} (it may have been pruned)")
        return found

    def forward_attempts(self, delivery_id: int) -> list[ForwardAttempt]:
        return DeliveryRepository(self._db.read()).forward_attempts(delivery_id)

    # --- replay ---

    async def replay(self, delivery_id: int) -> ReplayResult:
        """Send a stored delivery into the app again, re-signed now with the current secret."""
        return await self.replay_modified(delivery_id, None, mode=SigningMode.VALID)

    async def replay_modified(
        self, delivery_id: int, body: bytes | None, mode: SigningMode | str = SigningMode.VALID
    ) -> ReplayResult:
        """Replay with an edited `body` (None = unchanged), signed `valid`, `bad` or `expired`."""
        original = self.get(delivery_id)
        url = self._listener_url()
        if url is None:
            raise ValidationError("the webhook listener is not running: start it to replay")
        secrets = self._secrets()
        if not secrets and SigningMode(mode) != SigningMode.UNSIGNED:
            raise ValidationError("no webhook signing secret yet: register a webhook or set one")
        payload = original.body if body is None else body
        headers = webhook_headers(
            payload,
            secrets[0] if secrets else "",
            event=original.event,
            message_id=original.message_id,
            mode=mode,
        )
        headers[REPLAY_OF_HEADER] = str(delivery_id)
        response = await self._http.post(url, content=payload, headers=headers)
        return ReplayResult(status=response.status_code, body=response.text)

    # --- export / housekeeping ---

    async def export_jsonl(self, path: Path, query: DeliveryFilter | None = None) -> int:
        """Write matching deliveries, oldest first, one JSON object per line; returns the count."""

        def run() -> int:
            count = 0
            reader = DeliveryRepository(self._db.read())
            tmp = path.with_name(path.name + ".part")
            with tmp.open("w", encoding="utf-8") as out:
                for delivery in reader.iter_oldest_first(query):
                    out.write(json.dumps(_export_row(delivery), ensure_ascii=False) + "\n")
                    count += 1
            tmp.replace(path)
            return count

        return await asyncio.to_thread(run)

    async def clear(self) -> None:
        await self._db.write(lambda conn: DeliveryRepository(conn).clear())
        self._bus.publish(Changes(deliveries=(), origin="inspector-clear"))

    async def aclose(self) -> None:
        """Let in-flight forwards finish (bounded) before the store closes."""
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=10)

    def _spawn(self, coro: Coroutine[None, None, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("forwarding a delivery failed", exc_info=task.exception())


def _export_row(delivery: WebhookDelivery) -> dict[str, object]:
    try:
        body: object = json.loads(delivery.body)
        body_key = "body"
    except ValueError:
        body, body_key = delivery.body.decode("utf-8", "replace"), "body_text"
    return {
        "id": delivery.id,
        "received_at": delivery.received_at,
        "received_at_iso": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(delivery.received_at)),
        "method": delivery.method,
        "path": delivery.path,
        "headers": dict(redact_headers(delivery.headers)),
        body_key: body,
        "verdict": delivery.verdict,
        "response_status": delivery.response_status,
        "response_body": delivery.response_body,
        "event": delivery.event,
        "message_id": delivery.message_id,
        "processing_ms": delivery.processing_ms,
        "delay_ms": delivery.delay_ms,
        "replay_of": delivery.replay_of,
        "note": delivery.note,
    }


def _add_attempt(attempt: ForwardAttempt) -> Callable[[sqlite3.Connection], int]:
    return lambda conn: DeliveryRepository(conn).add_forward_attempt(attempt)
