"""Random requests never get a 5xx or stop the listener (hypothesis)."""

from __future__ import annotations

import asyncio
import json

import aiohttp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blooio_desktop.webhook.signature import sign
from tests.webhook.conftest import SECRET, LiveListener

_TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_TOKEN = st.text(alphabet=_TCHARS, min_size=1, max_size=20)  # RFC 9110 header-name characters
_VALUE = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=200)
_METHODS = st.sampled_from(["POST", "GET", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "BREW"])
_PATHS = st.one_of(
    st.just("/webhooks/blooio"),
    st.just("/webhooks/blooio/"),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789/._-%?&=", max_size=40).map(
        lambda p: "/" + p
    ),
)
_JSONISH = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
_BODIES = st.one_of(
    st.binary(max_size=2000),
    _JSONISH.map(lambda v: json.dumps(v).encode()),
    st.dictionaries(
        st.sampled_from(
            ["event", "message_id", "timestamp", "attachments", "participants", "is_group", "data"]
        ),
        _JSONISH,
    ).map(lambda v: json.dumps(v).encode()),
)
_SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@_SETTINGS
@given(
    method=_METHODS,
    path=_PATHS,
    headers=st.dictionaries(_TOKEN, _VALUE, max_size=6),
    body=_BODIES,
    signed=st.sampled_from(["none", "valid", "random"]),
    content_type=st.sampled_from(["application/json", "text/plain", "", "application/x+json; q=1"]),
)
async def test_random_requests_never_get_a_server_error(
    live: LiveListener,
    method: str,
    path: str,
    headers: dict[str, str],
    body: bytes,
    signed: str,
    content_type: str,
) -> None:
    headers = {
        k: v
        for k, v in headers.items()
        if k.lower() not in ("content-length", "transfer-encoding", "host")
    }
    if content_type:
        headers["Content-Type"] = content_type
    if signed == "valid":
        headers["X-Blooio-Signature"] = sign(SECRET, body)
    elif signed == "random":
        headers.setdefault("X-Blooio-Signature", "t=1,v1=00")
    url = f"http://127.0.0.1:{live.listener.port}{path}"
    async with (
        aiohttp.ClientSession(skip_auto_headers=["Content-Type"]) as session,
        session.request(method, url, data=body, headers=headers) as res,
    ):
        assert res.status < 500
    await live.listener.drain()


@_SETTINGS
@given(raw=st.binary(min_size=1, max_size=600))
async def test_garbage_on_the_socket_never_breaks_the_listener(
    live: LiveListener, raw: bytes
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", live.listener.port)
    try:
        writer.write(raw + b"\r\n\r\n")
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), 5)
        if status_line.startswith(b"HTTP/"):
            assert int(status_line.split()[1]) < 500
    except (ConnectionError, TimeoutError):
        pass
    finally:
        writer.close()
    async with aiohttp.ClientSession() as session, session.get(live.url) as res:
        assert res.status == 405  # still alive and still answering with its own JSON
