"""AiohttpTransport on real loopback sockets: the wire bytes httpx would send, responses as received,
and every failure mapped to the httpx exception the retry policy classifies."""

from __future__ import annotations

import asyncio
import gzip
import socket
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from blooio_desktop.api import BlooioClient, RetryPolicy
from blooio_desktop.api.aiohttp_transport import AiohttpTransport
from blooio_desktop.core.errors import ConnectionFailed

Reader = asyncio.StreamReader
Writer = asyncio.StreamWriter
OK = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: application/json\r\n\r\n{}"


async def read_request(reader: Reader) -> bytes | None:
    """One HTTP/1.1 request as raw bytes (Content-Length or chunked body), None at EOF."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None
    if b"transfer-encoding: chunked" in head.lower():
        body = b""
        while not body.endswith(b"\r\n0\r\n\r\n") and body != b"0\r\n\r\n":
            body += await reader.readuntil(b"\r\n")
        return head + body
    length = next(
        (
            int(line.split(b":")[1])
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        ),
        0,
    )
    return head + await reader.readexactly(length)


@asynccontextmanager
async def raw_server(handle: Callable[[Reader, Writer], Awaitable[None]]) -> AsyncIterator[str]:
    """A bare TCP server on 127.0.0.1 running `handle` per connection; yields its base URL."""
    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.close()


@asynccontextmanager
async def web_server(
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
) -> AsyncIterator[str]:
    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", handler)
    async with TestServer(app, host="127.0.0.1") as server:
        yield str(server.make_url("")).rstrip("/")


@asynccontextmanager
async def ours(**kwargs: Any) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=AiohttpTransport(), **kwargs) as client:
        yield client


@contextmanager
def full_accept_queue() -> Iterator[str]:
    """A port whose accept queue is full, so a new connection's SYN goes unanswered."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(0)
    port = listener.getsockname()[1]
    fillers = [socket.socket() for _ in range(3)]
    for filler in fillers:
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        for sock in (*fillers, listener):
            sock.close()


def closed_port() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def _chunks() -> AsyncIterator[bytes]:
    yield b"streamed "
    yield b"upload"


REQUESTS: dict[str, Callable[[httpx.AsyncClient], Awaitable[httpx.Response]]] = {
    "send with key and query": lambda c: c.post(
        "chats/%2B15551234567/messages",
        params={"q": "a b+c/é&", "n": ["1", "2"]},
        json={"text": "héllo"},
        headers={"Idempotency-Key": "key-1", "X-Case-Kept": "Yes"},
    ),
    "get with params": lambda c: c.get("chats", params={"limit": 5, "cursor": "a=b"}),
    "post without body": lambda c: c.post("contacts"),
    "delete without body": lambda c: c.delete("webhooks/wh_1"),
    "multipart icon": lambda c: c.post(
        "groups/grp_1/icon",
        files={"icon": ("i.png", b"\x89PNG\r\n\x00", "image/png")},
        headers={"Content-Type": "multipart/form-data; boundary=fixed-boundary"},
    ),
    "streamed upload": lambda c: c.post("upload", content=_chunks()),
}


@pytest.mark.parametrize("name", REQUESTS)
async def test_requests_go_on_the_wire_exactly_as_httpx_sends_them(name: str) -> None:
    seen: list[bytes] = []

    async def capture(reader: Reader, writer: Writer) -> None:
        while (request := await read_request(reader)) is not None:
            seen.append(request)
            writer.write(OK)
            await writer.drain()

    headers = {"Authorization": "Bearer k", "User-Agent": "blooio-desktop/test"}
    async with raw_server(capture) as base:
        for transport in (httpx.AsyncHTTPTransport(), AiohttpTransport()):
            async with httpx.AsyncClient(
                base_url=base + "/v2/api/", headers=headers, transport=transport
            ) as c:
                assert (await REQUESTS[name](c)).json() == {}
    httpcore_bytes, aiohttp_bytes = seen
    assert aiohttp_bytes == httpcore_bytes


async def test_headers_httpx_left_out_are_not_added() -> None:
    seen: list[bytes] = []

    async def capture(reader: Reader, writer: Writer) -> None:
        seen.append(await read_request(reader) or b"")
        writer.write(OK)
        await writer.drain()

    async with raw_server(capture) as base, ours() as client:
        request = client.build_request("GET", base + "/bare")
        for name in ("User-Agent", "Accept", "Accept-Encoding"):
            del request.headers[name]
        await client.send(request)
    assert seen[0].split(b"\r\n")[1:] == [
        f"Host: {base[7:]}".encode(),
        b"Connection: keep-alive",
        b"",
        b"",
    ]


async def test_a_response_keeps_status_reason_repeated_headers_and_is_decoded_once() -> None:
    body = gzip.compress(b'{"ok": true}')

    async def answer(reader: Reader, writer: Writer) -> None:
        await read_request(reader)
        writer.write(
            b"HTTP/1.1 202 Accepted For Now\r\nX-Ratelimit-Remaining: 9\r\nX-Dup: a\r\nX-Dup: b\r\n"
            b"Content-Encoding: gzip\r\nContent-Length: %d\r\n\r\n" % len(body) + body
        )
        await writer.drain()

    async with raw_server(answer) as base, ours() as client:
        response = await client.get(base + "/")
    assert response.status_code == 202 and response.reason_phrase == "Accepted For Now"
    assert response.http_version == "HTTP/1.1"
    assert response.headers.get_list("x-dup") == ["a", "b"]
    assert response.json() == {"ok": True}


async def test_a_streamed_response_arrives_piece_by_piece() -> None:
    first_seen = asyncio.Event()

    async def trickle(reader: Reader, writer: Writer) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nfirst\r\n")
        await writer.drain()
        await first_seen.wait()  # the rest only once the client has the first piece
        writer.write(b"4\r\nlast\r\n0\r\n\r\n")
        await writer.drain()

    received = b""
    async with (
        raw_server(trickle) as base,
        ours() as client,
        asyncio.timeout(5),
        client.stream("GET", base + "/") as response,
    ):
        async for piece in response.aiter_bytes():
            received += piece
            first_seen.set()
    assert received == b"firstlast"


async def test_a_refused_connection_is_a_connect_error() -> None:
    async with ours() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(closed_port())


async def test_a_connection_never_accepted_is_a_connect_timeout() -> None:
    with full_accept_queue() as base:
        async with ours(timeout=httpx.Timeout(30, connect=0.2)) as client:
            with pytest.raises(httpx.ConnectTimeout):
                await client.get(base)


async def test_a_reset_after_the_request_is_a_protocol_or_read_error_not_a_connect_error() -> None:
    async def reset(request: web.Request) -> web.StreamResponse:
        await request.read()
        assert request.transport is not None
        request.transport.abort()
        raise asyncio.CancelledError

    async with web_server(reset) as base, ours() as client:
        with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)) as info:
            await client.post(base + "/messages", json={"text": "x"})
    assert not isinstance(info.value, httpx.ConnectError)


async def test_a_server_that_accepts_then_hangs_is_a_read_timeout_per_request() -> None:
    async def hang(request: web.Request) -> web.StreamResponse:
        await asyncio.sleep(30)
        return web.Response()

    async with web_server(hang) as base, ours(timeout=30) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.post(base + "/messages", json={}, timeout=httpx.Timeout(30, read=0.2))


async def test_a_body_that_stalls_midway_is_a_read_timeout() -> None:
    async def stall(reader: Reader, writer: Writer) -> None:
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial")
        await writer.drain()
        await asyncio.sleep(30)

    async with raw_server(stall) as base, ours(timeout=httpx.Timeout(30, read=0.2)) as client:
        with pytest.raises(httpx.ReadTimeout):
            await client.get(base + "/")


@pytest.mark.parametrize(
    "reply",
    [
        b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b",  # then the server closes
        b"NOT HTTP AT ALL\r\n\r\n",
    ],
    ids=["truncated body", "garbage"],
)
async def test_a_broken_response_is_a_remote_protocol_error(reply: bytes) -> None:
    async def broken(reader: Reader, writer: Writer) -> None:
        await read_request(reader)
        writer.write(reply)
        await writer.drain()
        writer.close()

    async with raw_server(broken) as base, ours() as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get(base + "/")


async def test_an_upload_the_server_never_reads_is_a_write_timeout() -> None:
    async def never_read(reader: Reader, writer: Writer) -> None:
        await asyncio.sleep(30)

    timeout = httpx.Timeout(30, connect=0.5, write=0.3, read=0.3, pool=0.5)
    async with raw_server(never_read) as base, ours(timeout=timeout) as client:
        with pytest.raises(httpx.WriteTimeout):
            await client.post(base + "/upload", content=b"x" * (64 << 20))


async def test_the_retry_policy_repeats_a_refused_post_because_it_never_left(
    retry: RetryPolicy, sleeps: list[float]
) -> None:
    async with BlooioClient("bl_test_key", closed_port() + "/v2/api", retry=retry) as client:
        with pytest.raises(ConnectionFailed) as info:
            await client.create_contact("+15551234567")
    assert len(sleeps) == 3 and not info.value.timeout


async def test_aclose_closes_kept_alive_connections_and_refuses_new_requests() -> None:
    closed = asyncio.Event()

    async def keep_alive(reader: Reader, writer: Writer) -> None:
        while await read_request(reader) is not None:
            writer.write(OK)
            await writer.drain()
        closed.set()

    transport = AiohttpTransport()
    async with raw_server(keep_alive) as base:
        async with httpx.AsyncClient(transport=transport) as client:
            assert (await client.get(base + "/")).status_code == 200
        await asyncio.wait_for(closed.wait(), 5)
        with pytest.raises(RuntimeError, match="closed"):
            await transport.handle_async_request(httpx.Request("GET", base + "/"))
    await AiohttpTransport().aclose()  # never used: nothing to close, no error
