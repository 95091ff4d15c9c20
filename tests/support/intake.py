"""The app's webhook intake for tests that hand it events directly, as the listener would."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx

from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.http_client import LazyHttpClient
from blooio_desktop.services.inspector import InspectorService
from blooio_desktop.services.webhook_intake import WebhookIntake
from blooio_desktop.store import Database
from blooio_desktop.webhook.sink import Acked


def build_intake(
    db: Database, bus: EventBus, *, observe: Callable[[WebhookDelivery], None] | None = None
) -> WebhookIntake:
    """Wired as the session wires it (the inspector never posts here: no replay, no forwarding)."""
    inspector = InspectorService(
        db, bus, http=LazyHttpClient(httpx.AsyncClient), listener_url=lambda: None,
        secret_provider=lambda: [],
    )
    return WebhookIntake(db, bus, inspector, loop=asyncio.get_running_loop(), observe=observe)


def acked(event: WebhookEvent) -> Acked:
    """A verified delivery of `event`, as the listener drafts it."""
    draft = WebhookDelivery(
        id=None, received_at=time.time(), method="POST", path="/webhooks/blooio", headers=(),
        body=b"{}", verdict="valid", response_status=200, event=event.event,
        message_id=event.message_id,
    )
    return Acked(draft, event)


class SeenEvents:
    """A sink in front of the app's intake that also notes which events it was handed."""

    def __init__(self, intake: WebhookIntake, events: list[WebhookEvent]) -> None:
        self._intake = intake
        self._events = events

    def take(self, batch: list[Acked], done: Callable[[int], None]) -> None:
        self._events.extend(acked.event for acked in batch if acked.event is not None)
        self._intake.take(batch, done)


async def hand_over(intake: WebhookIntake, batch: list[Acked]) -> None:
    """Hand `batch` over as the listener does; return once it is written (or refused) and published."""
    finished: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    intake.take(batch, lambda _count: finished.set_result(None))
    await finished


async def ingest(intake: WebhookIntake, *events: WebhookEvent) -> None:
    """Hand `events` over as one batch of verified deliveries."""
    await hand_over(intake, [acked(e) for e in events])
