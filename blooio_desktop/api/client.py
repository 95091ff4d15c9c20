"""`BlooioClient`: the one object the app uses to talk to Blooio's v2 REST API (or the sandbox).

One long-lived httpx.AsyncClient per account, sending through one aiohttp session. Endpoints are
grouped by area in sibling modules; this class composes them over a shared transport. Use
`async with BlooioClient(key) as client:` or call `await client.aclose()` when done.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from blooio_desktop.api.account import AccountApi
from blooio_desktop.api.chats import ChatsApi
from blooio_desktop.api.contacts import ContactsApi
from blooio_desktop.api.groups import GroupsApi
from blooio_desktop.api.messages import MessagesApi
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.api.transport import ApiTransport, ResponseMeta
from blooio_desktop.api.webhooks import WebhooksApi
from blooio_desktop.core.urls import DEFAULT_BASE_URL

if TYPE_CHECKING:
    import httpx


class BlooioClient(AccountApi, ContactsApi, ChatsApi, MessagesApi, GroupsApi, WebhooksApi):
    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        """`timeout` is per attempt (connect at most 5 s). `transport` defaults to one aiohttp session
        (see aiohttp_transport.py), built on the first request; tests may inject any other httpx
        transport."""
        self._transport = ApiTransport(
            api_key, base_url, timeout=timeout, retry=retry, transport=transport
        )

    @property
    def base_url(self) -> str:
        return self._transport.base_url

    @property
    def last_response(self) -> ResponseMeta | None:
        """Status, attempts, Retry-After and rate-limit headers of the most recent HTTP answer."""
        return self._transport.last_response

    @property
    def closed(self) -> bool:
        return self._transport.closed

    async def aclose(self) -> None:
        await self._transport.aclose()

    async def __aenter__(self) -> BlooioClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"BlooioClient(base_url={self.base_url!r}, api_key='***')"
