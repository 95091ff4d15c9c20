"""A live listener on 127.0.0.1 with recorders for what it handed on, shared by the webhook tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.webhook.listener import WebhookListener

SECRET = "whsec_listener_test_secret"


@dataclass
class LiveListener:
    listener: WebhookListener
    url: str
    events: list[WebhookEvent] = field(default_factory=list)
    deliveries: list[WebhookDelivery] = field(default_factory=list)
    secrets: list[str] = field(default_factory=lambda: [SECRET])
    fail_with: Exception | None = (
        None  # make the app's handler raise, to test the listener survives
    )


@pytest.fixture
async def live() -> AsyncIterator[LiveListener]:
    holder: list[LiveListener] = []

    async def on_event(event: WebhookEvent) -> None:
        if holder[0].fail_with is not None:
            raise holder[0].fail_with
        holder[0].events.append(event)

    listener = WebhookListener(
        secret_provider=lambda: holder[0].secrets,
        on_event=on_event,
        on_delivery=lambda d: holder[0].deliveries.append(d),
        max_body=64 * 1024,
    )
    url = await listener.start()
    holder.append(LiveListener(listener=listener, url=url))
    try:
        yield holder[0]
    finally:
        await listener.stop()
