"""Webhook delivery: signed POSTs, one queue per webhook, retries with backoff, logs and replay.

Each registered webhook gets its own queue and worker task, so a dead listener only delays its own
events. Every attempt is appended to the webhook's logs (`evt_…` ids), which `/webhooks/{id}/logs`
serves and `/logs/{event_id}/replay` re-sends with `X-Blooio-Replay: true`.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from blooio_desktop.sandbox.counters import Counters
from blooio_desktop.sandbox.faults import FaultInjector
from blooio_desktop.sandbox.state import ORGANIZATION_ID, SandboxState, WebhookRec, new_id, now_ms
from blooio_desktop.webhook.signature import SIGNATURE_HEADER, sign

BACKOFF_S = (0.5, 1.0, 2.0, 4.0, 8.0)  # waits between the 6 attempts, divided by the world speed
MAX_LOGS_PER_WEBHOOK = 1000
_STATUS_EVENTS = frozenset({"message.sent", "message.delivered", "message.failed", "message.read"})
_MESSAGE_EVENTS = _STATUS_EVENTS | {"message.received", "message.reaction"}


def wants(webhook_type: str, event: str) -> bool:
    """`webhook_type` routing of blooio-api.md §10.1."""
    if webhook_type == "status":
        return event in _STATUS_EVENTS
    if webhook_type == "message":
        return event in _MESSAGE_EVENTS
    return True


@dataclass
class _Job:
    payload: dict[str, Any]


class WebhookDelivery:
    def __init__(
        self,
        state: Callable[[], SandboxState],
        counters: Callable[[], Counters],
        faults: FaultInjector,
        speed: Callable[[], float],
        timeout_s: float = 10.0,
    ) -> None:
        self._state = state
        self._counters = counters
        self._faults = faults
        self._speed = speed
        self._timeout = aiohttp.ClientTimeout(total=timeout_s)
        self._session: aiohttp.ClientSession | None = None
        self._queues: dict[str, asyncio.Queue[_Job]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self) -> None:
        self._session = aiohttp.ClientSession(timeout=self._timeout)

    async def stop(self) -> None:
        self.reset()
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._session is not None:
            await self._session.close()
            self._session = None

    def reset(self) -> None:
        """Drop every queued and in-flight delivery (used by /_sandbox/reset and stop)."""
        for task in list(self._tasks):
            task.cancel()
        self._queues.clear()

    # -- emitting -------------------------------------------------------------------------------
    def emit(self, payload: dict[str, Any]) -> None:
        """Queue `payload` for every active webhook whose type wants this event."""
        at = now_ms()
        for hook in self._state().webhooks.values():
            if hook.is_active(at) and wants(hook.webhook_type, payload["event"]):
                copies = 2 if self._faults.roll(self._faults.config.webhook_duplicate_rate) else 1
                for _ in range(copies):
                    self._enqueue(hook.webhook_id, payload)

    def _enqueue(self, webhook_id: str, payload: dict[str, Any]) -> None:
        shuffle_ms = self._faults.config.webhook_shuffle_ms
        if shuffle_ms > 0:
            delay = self._faults.rng.uniform(0, shuffle_ms) / 1000
            self._spawn(self._put_later(webhook_id, _Job(payload), delay))
        else:
            self._queue(webhook_id).put_nowait(_Job(payload))

    async def _put_later(self, webhook_id: str, job: _Job, delay: float) -> None:
        await asyncio.sleep(delay)
        self._queue(webhook_id).put_nowait(job)

    def _queue(self, webhook_id: str) -> asyncio.Queue[_Job]:
        queue = self._queues.get(webhook_id)
        if queue is None:
            queue = self._queues[webhook_id] = asyncio.Queue()
            self._spawn(self._worker(webhook_id, queue))
        return queue

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _worker(self, webhook_id: str, queue: asyncio.Queue[_Job]) -> None:
        while True:
            job = await queue.get()
            for wait in (*BACKOFF_S, None):
                hook = self._state().webhooks.get(webhook_id)
                if hook is None or not hook.is_active(now_ms()):
                    break
                log = await self.attempt(hook, job.payload)
                if log["metadata"]["success"] or wait is None:
                    break
                await asyncio.sleep(min(wait / max(self._speed(), 0.001), 30.0))

    # -- one HTTP attempt -----------------------------------------------------------------------
    async def attempt(
        self, hook: WebhookRec, payload: dict[str, Any], *, original_event_id: str | None = None
    ) -> dict[str, Any]:
        """POST once, log the attempt on the webhook and return the log entry."""
        assert self._session is not None, "delivery not started"
        body = json.dumps(payload, separators=(",", ":")).encode()
        headers = {
            "Content-Type": "application/json",
            "X-Blooio-Event": str(payload.get("event", "")),
            "X-Blooio-Message-Id": str(payload.get("message_id", "")),
            SIGNATURE_HEADER: sign(hook.signing_secret, body),
        }
        if original_event_id:
            headers |= {"X-Blooio-Replay": "true", "X-Original-Event-Id": original_event_id}
        counters = self._counters()
        counters.webhooks["attempted"] += 1
        started, attempted_at = time.monotonic(), now_ms()
        status: int | None = None
        text, content_type, error = "", None, None
        try:
            async with self._session.post(hook.webhook_url, data=body, headers=headers) as res:
                status, content_type = res.status, res.content_type
                text = await res.text(errors="replace")
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            error = f"{type(exc).__name__}: {exc}"
        duration_ms = int((time.monotonic() - started) * 1000)
        ok = status is not None and 200 <= status < 300
        counters.webhooks["succeeded" if ok else "failed"] += 1
        hook.last_triggered = attempted_at
        if not ok:
            hook.failure_count += 1
        log = {
            "event_id": new_id("evt_", 16),
            "scope": "api",
            "attempted_time": attempted_at,
            "response_received_at": attempted_at + duration_ms if status is not None else None,
            "webhook_url": hook.webhook_url,
            "event_body": payload,
            "response_status": status,
            "response_json": _maybe_json(text),
            "metadata": {
                "duration_ms": duration_ms,
                "event_name": payload.get("event"),
                "is_replay": original_event_id is not None,
                "message_id": payload.get("message_id"),
                "organization_id": ORGANIZATION_ID,
                "original_event_id": original_event_id,
                "success": ok,
                "error": error,
                "content_type": content_type,
                "response_body": text[:2000],
            },
        }
        hook.logs.append(log)
        del hook.logs[:-MAX_LOGS_PER_WEBHOOK]
        return log


def _maybe_json(text: str) -> Any:
    try:
        return json.loads(text) if text else None
    except ValueError:
        return None
