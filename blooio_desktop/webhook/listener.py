"""The local HTTP endpoint Blooio (through a tunnel) delivers webhooks to.

aiohttp's low-level `web.Server` on a serving thread of its own (plain asyncio, not the app's qasync
loop), so every answer — including 404, 405, 413 and 415 — is our short JSON, never aiohttp's HTML,
and never a 500. Order of checks, all on that thread: path → method → content type → size →
signature (over the raw bytes, before any parsing) → JSON → dedupe. Each delivery is queued for the
sink (`webhook.sink`) before its ack is written, and handed to it on this thread; the ack never waits
for the app (unless it falls `_MAX_OUTSTANDING` deliveries behind).
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from blooio_desktop.core.errors import SignatureError, ValidationError
from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.webhook.dedupe import Deduplicator
from blooio_desktop.webhook.events import parse_body
from blooio_desktop.webhook.handoff import Handoff
from blooio_desktop.webhook.loop_callbacks import LoopCallbacks, OnDelivery, OnEvent
from blooio_desktop.webhook.redaction import redact_headers
from blooio_desktop.webhook.signature import (
    DEFAULT_TOLERANCE_S,
    SIGNATURE_HEADER,
    Verdict,
    verify_any,
)
from blooio_desktop.webhook.sink import Acked, DeliverySink

if (
    TYPE_CHECKING
):  # aiohttp (~0.1 s to import) loads when the listener starts, after the first paint
    from aiohttp import web

    from blooio_desktop.webhook.serving_thread import ServingThread

log = logging.getLogger(__name__)

DEFAULT_PATH = "/webhooks/blooio"
DEFAULT_MAX_BODY = 1024 * 1024
REPLAY_OF_HEADER = "X-Blooio-Desktop-Replay-Of"  # set by the inspector's own replays
ORIGINAL_EVENT_HEADER = "X-Original-Event-Id"
SELF_TEST_EVENT = "desktop.ping"  # the connectivity service's signed ping through the tunnel
_DRAIN_TIMEOUT_S = 10.0
_MAX_OUTSTANDING = (
    256  # acked, not yet handed on: past this, requests wait (memory; app batch size)
)


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What the checks decided: the answer to send and what to hand on afterwards."""

    status: int
    body: dict[str, Any]
    verdict: Verdict
    event: WebhookEvent | None = None
    note: str | None = None
    hand_on: bool = False  # a new, verified, known event for the app
    headers: tuple[tuple[str, str], ...] = ()


class WebhookListener:
    """Verifies and acknowledges webhook deliveries, then hands every delivery to `sink`.

    `secret_provider` is called on the serving thread for every signed request, so it must be
    thread-safe and cheap (return a cached list). Without a `sink`, `on_event` and `on_delivery` run
    on the loop that called `start()`, in the order the deliveries were decided (`LoopCallbacks`).
    """

    def __init__(
        self,
        *,
        secret_provider: Callable[[], Sequence[str]],
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = DEFAULT_PATH,
        allow_legacy: bool = False,
        tolerance_s: int = DEFAULT_TOLERANCE_S,
        max_body: int = DEFAULT_MAX_BODY,
        on_event: OnEvent | None = None,
        on_delivery: OnDelivery | None = None,
        sink: DeliverySink | None = None,
        dedupe: Deduplicator | None = None,
    ) -> None:
        if sink is not None and (on_event is not None or on_delivery is not None):
            raise ValueError("pass a sink or on_event/on_delivery, not both")
        self._secrets = secret_provider
        self._host = host
        self._requested_port = port
        self.path = "/" + path.strip("/")
        self.allow_legacy = allow_legacy
        self._tolerance_s = tolerance_s
        self._max_body = max_body
        self._on_event = on_event
        self._on_delivery = on_delivery
        self._sink = sink
        self._callbacks: LoopCallbacks | None = None  # the sink built from the callbacks, if any
        self._dedupe = dedupe or Deduplicator()
        self._server: ServingThread | None = None
        self._handoff: Handoff[Acked] | None = None
        self._port: int | None = None

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the listener is not running")
        return self._port

    @property
    def url(self) -> str:
        host = f"[{self._host}]" if ":" in self._host else self._host
        return f"http://{host}:{self.port}{self.path}"

    @property
    def running(self) -> bool:
        return self._server is not None

    async def start(self) -> str:
        """Bind and serve; returns the local URL deliveries must be posted to (OSError if the
        port is taken)."""
        if self._server is not None:
            return self.url
        sink = self._sink
        if sink is None:
            sink = self._callbacks = LoopCallbacks(
                asyncio.get_running_loop(), self._on_event, self._on_delivery
            )

        def deliver(batch: list[Acked]) -> None:
            sink.take(batch, handoff.done)

        handoff = self._handoff = Handoff(deliver, limit=_MAX_OUTSTANDING)
        from blooio_desktop.webhook.serving_thread import ServingThread

        server = ServingThread(
            self._handle,
            host=self._host,
            port=self._requested_port,
            name="webhook-listener",
            shutdown_timeout=_DRAIN_TIMEOUT_S,
        )
        self._port = await server.start()
        self._server = server
        return self.url

    async def stop(self) -> None:
        """Stop accepting, let in-flight requests finish (bounded) and the serving thread end,
        then hand on and record what they acknowledged."""
        server, self._server = self._server, None
        if server is not None:
            await server.stop()
        await self.drain()
        self._port = None

    async def drain(self, timeout: float = _DRAIN_TIMEOUT_S) -> None:
        """Wait until every acknowledged delivery has been handed on and recorded."""
        handoff = self._handoff
        if handoff is None:
            return
        handoff.flush()  # acked on the serving thread, its hand-over not yet run
        try:
            await asyncio.wait_for(handoff.drained(), timeout)
        except TimeoutError:
            log.warning("acknowledged webhooks were still being handled after %.0f s", timeout)
            if self._callbacks is not None:
                self._callbacks.cancel()

    # --- request handling, on the serving thread ---

    async def _handle(self, request: web.BaseRequest) -> web.StreamResponse:
        handoff = self._handoff
        assert handoff is not None  # set before the server starts
        await handoff.room()
        received_at = time.time()
        body = b""
        try:
            outcome, body = await self._decide(request)
        except ConnectionError:  # the sender hung up mid-body: nobody is left to answer
            outcome = _Outcome(400, _error("bad_request", "connection lost"), Verdict.MALFORMED)
        except Exception:  # a bug must not become a 500 or kill the listener
            log.exception("unexpected error while handling a webhook request")
            outcome = _Outcome(
                400, _error("bad_request", "request could not be processed"), Verdict.MALFORMED
            )
        draft = self._draft(request, received_at, body, outcome)
        handoff.put(Acked(draft, outcome.event if outcome.hand_on else None))
        from aiohttp import web

        return web.json_response(outcome.body, status=outcome.status, headers=dict(outcome.headers))

    async def _decide(self, request: web.BaseRequest) -> tuple[_Outcome, bytes]:
        if request.path.rstrip("/") != self.path.rstrip("/"):
            return _Outcome(
                404, _error("not_found", "no webhook endpoint here"), Verdict.REJECTED
            ), b""
        if request.method != "POST":
            return (
                _Outcome(
                    405,
                    _error("method_not_allowed", "webhooks must be POSTed"),
                    Verdict.REJECTED,
                    headers=(("Allow", "POST"),),
                ),
                b"",
            )
        content_type = request.headers.get("Content-Type", "")
        if not _is_json(content_type):
            message = "Content-Type must be application/json"
            return _Outcome(415, _error("unsupported_media_type", message), Verdict.REJECTED), b""
        body = await self._read_capped(request)
        if body is None:
            message = f"body is larger than {self._max_body} bytes"
            return _Outcome(413, _error("payload_too_large", message), Verdict.REJECTED), b""
        return self._verify_and_parse(request, body), body

    def _verify_and_parse(self, request: web.BaseRequest, body: bytes) -> _Outcome:
        try:
            verdict = verify_any(
                self._secrets(),
                request.headers.get(SIGNATURE_HEADER),
                body,
                tolerance_s=self._tolerance_s,
                allow_legacy=self.allow_legacy,
            )
        except SignatureError as exc:
            verdict = Verdict(exc.verdict)
            status, label = (
                (400, "bad_request") if verdict == Verdict.MALFORMED else (401, "unauthorized")
            )
            return _Outcome(
                status, {**_error(label, exc.message), "verdict": verdict.value}, verdict
            )
        try:
            event = parse_body(body, event_header=request.headers.get("X-Blooio-Event"))
        except ValidationError as exc:
            return _Outcome(400, _error("bad_request", exc.message), Verdict.MALFORMED)
        note = (
            "legacy body-only signature: no replay protection"
            if verdict == Verdict.LEGACY
            else None
        )
        if event.event == SELF_TEST_EVENT:
            return _Outcome(200, {"ok": True}, verdict, event, note="connectivity self-test")
        if REPLAY_OF_HEADER not in request.headers and self._is_duplicate(request, event):
            return _Outcome(
                200, {"ok": True, "duplicate": True}, Verdict.DUPLICATE, event, note=note
            )
        if not event.is_known:
            note = f"unknown event type {event.event!r}: recorded, not handed on"
            return _Outcome(200, {"ok": True}, verdict, event, note=note)
        return _Outcome(200, {"ok": True}, verdict, event, note=note, hand_on=True)

    def _is_duplicate(self, request: web.BaseRequest, event: WebhookEvent) -> bool:
        keys: list[object] = [event.dedupe_key]
        original = request.headers.get(ORIGINAL_EVENT_HEADER)
        if original:
            keys.append(("original-event", original))
        return self._dedupe.check_and_add(keys)

    async def _read_capped(self, request: web.BaseRequest) -> bytes | None:
        """The whole body, or None as soon as it exceeds the cap (before buffering more)."""
        declared = request.content_length
        if declared is not None and declared > self._max_body:
            return None
        chunks: list[bytes] = []
        size = 0
        async for chunk in request.content.iter_any():
            size += len(chunk)
            if size > self._max_body:
                return None
            chunks.append(chunk)
        return b"".join(chunks)

    def _draft(
        self, request: web.BaseRequest, received_at: float, body: bytes, outcome: _Outcome
    ) -> WebhookDelivery:
        event = outcome.event
        headers = request.headers
        timestamp = event.timestamp if event else None
        replay_of = headers.get(REPLAY_OF_HEADER, "")
        return WebhookDelivery(
            id=None,
            received_at=received_at,
            method=request.method,
            path=request.path,
            headers=redact_headers(headers.items()),
            body=body,
            verdict=outcome.verdict.value,
            response_status=outcome.status,
            response_body=_compact(outcome.body),
            event=event.event if event else headers.get("X-Blooio-Event"),
            message_id=event.message_id if event else headers.get("X-Blooio-Message-Id"),
            delay_ms=received_at * 1000 - timestamp if timestamp is not None else None,
            replay_of=int(replay_of) if replay_of.isdigit() else None,
            note=outcome.note,
        )


def _error(label: str, message: str) -> dict[str, Any]:
    return {"error": label, "message": message}


def _compact(body: dict[str, Any]) -> str:
    return json.dumps(body, separators=(",", ":"))


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )

