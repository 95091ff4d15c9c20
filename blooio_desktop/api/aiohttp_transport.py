"""An `httpx.AsyncBaseTransport` that sends through one `aiohttp.ClientSession`.

The API client keeps httpx's interface (one `httpx.AsyncClient` per account, its request building,
redirect and error types) but not httpcore's cost per request, which does not shrink with concurrency
(encode/httpx#3215). This transport puts the request on the wire exactly as httpx built it — method,
encoded path and query, header names, values and order, body — and gives httpx the response's raw
status, headers and still-encoded body, so httpx stays the only place that decodes content.

aiohttp's failures become the httpx exceptions the retry policy classifies: a connection that was
never made (`ConnectError`, `ConnectTimeout`) is safe to repeat for any request; a reset, disconnect
or read timeout after the request went out (`RemoteProtocolError`, `ReadError`, `ReadTimeout`,
`WriteTimeout`) is repeated only when the call is replay-safe. (aiohttp itself resends an idempotent
request once if a kept-alive connection turns out to be closed, as RFC 9112 §9.3.1 allows.)
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import httpx
import yarl

MAX_CONNECTIONS = 100  # httpx's default pool size
KEEPALIVE_EXPIRY_S = 5.0  # httpx's default: idle connections older than this are not reused
# httpx already decided these; aiohttp must not add its own when httpx sent none.
_NO_AUTO_HEADERS = ("Accept", "Accept-Encoding", "User-Agent", "Content-Type")
_FRAMING = b"transfer-encoding"


class AiohttpTransport(httpx.AsyncBaseTransport):
    """One aiohttp session (created on first use, on the running loop) behind an httpx client."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._closed = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._closed:
            raise RuntimeError("The HTTP transport is closed; open a new client.")
        session = self._session or self._open()
        timeouts: dict[str, float | None] = request.extensions.get("timeout", {})
        data, headers = _body_and_headers(request)
        # aiohttp times connecting and reading but not writing: the whole exchange up to the response
        # headers is bounded by the sum of the phases, which only a stalled upload can exceed.
        guard = asyncio.timeout(_phase_sum(timeouts))
        try:
            async with guard:
                response = await session.request(
                    request.method,
                    yarl.URL(str(request.url), encoded=True),
                    headers=headers,
                    data=data,
                    allow_redirects=False,
                    timeout=aiohttp.ClientTimeout(
                        total=None,
                        connect=timeouts.get("pool"),
                        sock_connect=timeouts.get("connect"),
                        sock_read=timeouts.get("read"),
                    ),
                )
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            if guard.expired():
                raise httpx.WriteTimeout("Timed out sending the request.", request=request) from exc
            raise _httpx_error(exc, request) from exc
        version = response.version or aiohttp.HttpVersion11
        return httpx.Response(
            response.status,
            headers=list(response.raw_headers),
            stream=_ResponseStream(response, request),
            request=request,
            extensions={
                "http_version": f"HTTP/{version.major}.{version.minor}".encode(),
                "reason_phrase": (response.reason or "").encode("ascii", "replace"),
            },
        )

    async def aclose(self) -> None:
        self._closed = True
        if self._session is not None:
            await self._session.close()

    def _open(self) -> aiohttp.ClientSession:
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(
                limit=MAX_CONNECTIONS,
                keepalive_timeout=KEEPALIVE_EXPIRY_S,
                ssl=httpx.create_ssl_context(),  # the same CA bundle (certifi) httpx would trust
            ),
            cookie_jar=aiohttp.DummyCookieJar(),  # httpx keeps the cookies and sends them as a header
            auto_decompress=False,  # httpx decodes Content-Encoding itself
            skip_auto_headers=_NO_AUTO_HEADERS,
            request_class=_ExactRequest,
        )
        return self._session


class _ExactRequest(aiohttp.ClientRequest):
    """aiohttp adds `Content-Length: 0` to a body-less request unless its method is in GET_METHODS
    (so a DELETE would gain one); httpx has already framed every request, so no method gets one."""

    GET_METHODS = aiohttp.ClientRequest.ALL_METHODS


class _ResponseStream(httpx.AsyncByteStream):
    """The response body as aiohttp receives it; closing it returns or drops the connection."""

    def __init__(self, response: aiohttp.ClientResponse, request: httpx.Request) -> None:
        self._response = response
        self._request = request

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._response.content.iter_any():
                yield chunk
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            raise _httpx_error(exc, self._request) from exc

    async def aclose(self) -> None:
        self._response.release()  # reusable once the body was read in full, closed otherwise


def _httpx_error(exc: BaseException, request: httpx.Request) -> httpx.TransportError:
    """The httpx exception that means what `exc` means, for the retry policy and error messages."""
    message = str(exc) or type(exc).__name__
    error: type[httpx.TransportError]
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        error = httpx.ConnectTimeout  # waiting for a pooled or new connection: nothing was sent
    elif isinstance(exc, TimeoutError):
        error = httpx.ReadTimeout  # aiohttp's sock_read (SocketTimeoutError)
    elif isinstance(exc, aiohttp.ClientConnectorError):
        error = httpx.ConnectError  # refused, unreachable, DNS, TLS handshake or certificate
    elif isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientPayloadError):
        error = httpx.RemoteProtocolError  # closed before or during the response
    elif isinstance(exc, aiohttp.ClientResponseError):
        error = httpx.RemoteProtocolError  # a response aiohttp could not parse
    elif isinstance(exc, aiohttp.InvalidURL):
        error = httpx.UnsupportedProtocol
    else:
        error = httpx.ReadError  # reset or broken pipe once the connection was in use
    return error(message, request=request)


def _body_and_headers(request: httpx.Request) -> tuple[Any, list[tuple[str, str]]]:
    """The body as aiohttp takes it, and httpx's headers with their original spelling and order.

    A body httpx already holds is passed as bytes (its Content-Length is already a header). A streamed
    body is passed as an async iterator; if httpx framed it as chunked, aiohttp writes that framing
    itself and would refuse a second Transfer-Encoding header, so that header is left to it.
    """
    encoding = request.headers.encoding
    stream = request.stream
    if isinstance(stream, httpx.ByteStream):
        raw = request.headers.raw
        data: Any = request.content or None
    else:
        assert isinstance(stream, httpx.AsyncByteStream)  # httpx.AsyncClient checked it already
        raw = [(k, v) for k, v in request.headers.raw if k.lower() != _FRAMING]
        data = stream  # aiohttp streams any async iterable
    return data, [(k.decode(encoding), v.decode(encoding)) for k, v in raw]


def _phase_sum(timeouts: dict[str, float | None]) -> float | None:
    phases = [timeouts.get(name) for name in ("pool", "connect", "write", "read")]
    return None if any(p is None for p in phases) else sum(p for p in phases if p is not None)
