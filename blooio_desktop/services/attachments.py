"""Checks an attachment link before it is sent (HEAD: reachable? type? size?) and fetches thumbnails.

Blooio fetches attachment URLs server-side, so a link that is unreachable or over 16 MB is worth a
warning in the composer before the message goes out. One long-lived `httpx.AsyncClient`, built on
the first probe (httpx is not loaded before the window paints); no Qt.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.urls import validate_http_url

MAX_ATTACHMENT_BYTES = 16 * 1024 * 1024
THUMBNAIL_MAX_BYTES = 4 * 1024 * 1024
_RANGE_TOTAL = re.compile(r"/(\d+)\s*$")

if TYPE_CHECKING:
    import httpx


@dataclass(frozen=True, slots=True)
class ProbeResult:
    """What a HEAD (or 1-byte ranged GET) said about a link. `problem` is a sentence for the user."""

    url: str
    reachable: bool
    status: int | None = None
    content_type: str | None = None
    size: int | None = None
    problem: str | None = None
    invalid: bool = False  # not an http(s) link at all: it cannot be sent

    @property
    def too_large(self) -> bool:
        return self.size is not None and self.size > MAX_ATTACHMENT_BYTES

    @property
    def is_image(self) -> bool:
        return bool(self.content_type and self.content_type.startswith("image/"))


class AttachmentProber:
    def __init__(
        self,
        *,
        timeout: float = 8.0,
        transport: Callable[[], httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        """`transport` builds the transport the client sends through (e.g. sharing a CA bundle)."""
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None

    def _http(self) -> httpx.AsyncClient:
        if self._client is None:
            import httpx

            self._client = httpx.AsyncClient(
                timeout=self._timeout,
                follow_redirects=True,
                transport=self._transport() if self._transport is not None else None,
                headers={"User-Agent": "blooio-desktop"},
            )
        return self._client

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    async def probe(self, url: str) -> ProbeResult:
        """Never raises for a bad link: the answer says what is wrong."""
        try:
            url = validate_http_url(url, what="attachment link")
        except ValidationError as exc:
            return ProbeResult(url=url, reachable=False, problem=str(exc), invalid=True)
        http = self._http()
        import httpx  # loaded by `_http()`

        try:
            response = await http.head(url)
            if response.status_code in (
                405,
                501,
            ):  # some servers refuse HEAD: ask for one byte instead
                response = await http.get(url, headers={"Range": "bytes=0-0"})
        except httpx.TimeoutException:
            return ProbeResult(url=url, reachable=False, problem="The link did not answer in time.")
        except httpx.HTTPError as exc:
            return ProbeResult(
                url=url,
                reachable=False,
                problem=f"The link could not be reached ({type(exc).__name__}).",
            )
        content_type = response.headers.get("content-type", "").split(";")[0].strip() or None
        if response.status_code >= 400:
            return ProbeResult(
                url=url,
                reachable=False,
                status=response.status_code,
                content_type=content_type,
                problem=f"The link answered HTTP {response.status_code}.",
            )
        return ProbeResult(
            url=url,
            reachable=True,
            status=response.status_code,
            content_type=content_type,
            size=_size(response),
        )

    async def fetch_image(self, url: str, max_bytes: int = THUMBNAIL_MAX_BYTES) -> bytes | None:
        """The bytes of a small image for a thumbnail, or None (not an image, too big, unreachable)."""
        http = self._http()
        import httpx  # loaded by `_http()`

        try:
            async with http.stream("GET", url) as response:
                kind = response.headers.get("content-type", "")
                if response.status_code >= 400 or not kind.startswith("image/"):
                    return None
                data = bytearray()
                async for chunk in response.aiter_bytes():
                    data += chunk
                    if len(data) > max_bytes:
                        return None
                return bytes(data)
        except httpx.HTTPError:
            return None


def _size(response: httpx.Response) -> int | None:
    match = _RANGE_TOTAL.search(response.headers.get("content-range", ""))
    if match:
        return int(match.group(1))
    length = response.headers.get("content-length")
    if length and length.isdigit() and response.request.method == "HEAD":
        return int(length)
    return None
