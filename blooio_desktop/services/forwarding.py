"""Forward verified deliveries to the developer's own servers, like `stripe listen --forward-to`.

Each target may filter by event type. The body is forwarded byte for byte and re-signed now with
the same secret, so the target verifies it exactly as it would verify Blooio. A slow or dead target
never holds up the others (posted concurrently, bounded by a timeout).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence

from blooio_desktop.config.settings import ForwardTarget
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.services.http_client import Poster
from blooio_desktop.store.deliveries import ForwardAttempt
from blooio_desktop.webhook.outgoing import webhook_headers

DEFAULT_TIMEOUT_S = 10.0


class Forwarder:
    """Posts a delivery to every target whose filter matches; returns one attempt per target."""

    def __init__(
        self,
        http: Poster,
        targets: Sequence[ForwardTarget],
        secret_provider: Callable[[], Sequence[str]],
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self._http = http
        self.targets: tuple[ForwardTarget, ...] = tuple(targets)
        self._secrets = secret_provider
        self._timeout_s = timeout_s

    def matching(self, event: str | None) -> list[ForwardTarget]:
        return [
            t for t in self.targets if not t.events or (event is not None and event in t.events)
        ]

    async def forward(self, delivery: WebhookDelivery) -> list[ForwardAttempt]:
        targets = self.matching(delivery.event)
        if not targets or delivery.id is None:
            return []
        return list(await asyncio.gather(*(self._post(delivery, t.url) for t in targets)))

    async def _post(self, delivery: WebhookDelivery, url: str) -> ForwardAttempt:
        assert delivery.id is not None
        secrets = self._secrets()
        headers = webhook_headers(
            delivery.body,
            secrets[0] if secrets else "",
            event=delivery.event,
            message_id=delivery.message_id,
            mode="valid" if secrets else "unsigned",
        )
        import httpx  # loaded with the client's first request

        started = time.time()
        status: int | None = None
        error: str | None = None
        try:
            response = await self._http.post(
                url, content=delivery.body, headers=headers, timeout=self._timeout_s
            )
            status = response.status_code
        except httpx.TimeoutException:
            error = f"no answer within {self._timeout_s:g} s"
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        return ForwardAttempt(
            delivery_id=delivery.id,
            target_url=url,
            status=status,
            error=error,
            duration_ms=(time.time() - started) * 1000,
            attempted_at=started,
        )
