"""The services' shared HTTP client (webhook self-test, replays, forwarding), built on first use.

httpx and the CA bundle cost ~50 ms to load; nothing the first paint shows needs them, so the client
is made on the first request, after the window has painted. The services depend on `Poster`, what
they call, so a test may hand them a plain `httpx.AsyncClient` instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import httpx


class Poster(Protocol):
    async def post(
        self,
        url: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response: ...


class LazyHttpClient:
    """Delegates to the client `build()` returns, called on the first request."""

    def __init__(self, build: Callable[[], httpx.AsyncClient]) -> None:
        self._build = build
        self._client: httpx.AsyncClient | None = None

    def client(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = self._build()
        return self._client

    async def post(
        self,
        url: str,
        *,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
    ) -> httpx.Response:
        client = self.client()
        if timeout is None:  # the client's own default
            return await client.post(url, content=content, headers=headers)
        return await client.post(url, content=content, headers=headers, timeout=timeout)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
