"""Webhook management: create, list, read, update/deprecate, delete, rotate secret, logs, replay."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from blooio_desktop.api import bodies, schemas
from blooio_desktop.api.pagination import paginate
from blooio_desktop.api.params import (
    build_path,
    choice,
    http_status,
    page_params,
    query,
    require_id,
)
from blooio_desktop.api.resource import Resource
from blooio_desktop.core.models import Page, Webhook, WebhookLog

LOG_SORTS = ("asc", "desc")


class WebhooksApi(Resource):
    async def create_webhook(
        self, url: str, webhook_type: str = "all", valid_until: int | None = None
    ) -> Webhook:
        """201 → a new webhook with its `signing_secret` (shown only now). 200 → that URL was already
        registered: the existing webhook, without a secret.
        """
        body = bodies.webhook_create_body(url, webhook_type, valid_until)
        # Creating is idempotent per URL on Blooio's side, so a retry cannot make a second webhook.
        data = await self._call("POST", build_path("webhooks"), json_body=body, replay_safe=True)
        return schemas.parse_webhook(data)

    async def list_webhooks(self) -> list[Webhook]:
        data = await self._call("GET", build_path("webhooks"))
        return schemas.parse_items(data.get("webhooks"), schemas.parse_webhook, "webhook")

    async def get_webhook(self, webhook_id: str) -> Webhook:
        path = build_path("webhooks", require_id(webhook_id, "webhook id"))
        return schemas.parse_webhook(await self._call("GET", path))

    async def update_webhook(
        self,
        webhook_id: str,
        *,
        webhook_type: str | None = None,
        valid_until: int | None = None,
        deprecate: bool | None = None,
    ) -> Webhook:
        """Change type or expiry, or pause delivery with `deprecate=True` (logs are kept)."""
        body = bodies.webhook_update_body(webhook_type, valid_until, deprecate)
        path = build_path("webhooks", require_id(webhook_id, "webhook id"))
        return schemas.parse_webhook(await self._call("PATCH", path, json_body=body))

    async def delete_webhook(self, webhook_id: str) -> None:
        await self._call("DELETE", build_path("webhooks", require_id(webhook_id, "webhook id")))

    async def rotate_webhook_secret(self, webhook_id: str) -> str:
        """A new signing secret; the old one stops working at once."""
        path = build_path("webhooks", require_id(webhook_id, "webhook id"), "secret", "rotate")
        # Not replay-safe: a lost answer followed by a second rotation would hide the valid secret.
        return schemas.parse_signing_secret(await self._call("POST", path))

    async def list_webhook_logs(
        self,
        webhook_id: str,
        *,
        limit: int = 50,
        offset: int = 0,
        sort: str | None = None,
        status: int | None = None,
    ) -> Page[WebhookLog]:
        """Delivery attempts, newest or oldest first; `status` filters on the exact HTTP code."""
        path = build_path("webhooks", require_id(webhook_id, "webhook id"), "logs")
        params = query(
            sort=choice(sort, LOG_SORTS, "sort"),
            status=http_status(status),
            **page_params(limit, offset),
        )
        data = await self._call("GET", path, params=params)
        return schemas.parse_page(
            data, "logs", schemas.parse_webhook_log, limit=limit, offset=offset
        )

    def iter_webhook_logs(
        self,
        webhook_id: str,
        *,
        page_size: int = 50,
        sort: str | None = None,
        status: int | None = None,
    ) -> AsyncIterator[WebhookLog]:
        return paginate(
            lambda limit, offset: self.list_webhook_logs(
                webhook_id, limit=limit, offset=offset, sort=sort, status=status
            ),
            page_size=page_size,
        )

    async def replay_webhook(self, webhook_id: str, event_id: str) -> dict[str, Any]:
        """Ask Blooio to re-deliver a logged event; the answer describes the new attempt."""
        path = build_path(
            "webhooks",
            require_id(webhook_id, "webhook id"),
            "logs",
            require_id(event_id, "event id"),
            "replay",
        )
        return await self._call("POST", path)
