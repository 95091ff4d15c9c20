"""One factory turns any HTTP failure into the core error tree, whatever the body looks like."""

from __future__ import annotations

import email.utils

import httpx
import pytest

from blooio_desktop.api.errors import error_from_response, error_from_transport, parse_retry_after


def response(
    status: int, body: bytes | str = b"", headers: dict[str, str] | None = None
) -> httpx.Response:
    content = body.encode() if isinstance(body, str) else body
    return httpx.Response(status, content=content, headers=headers or {})


def test_documented_error_body_with_code_and_details() -> None:
    body = '{"error":"too_many_requests","code":"outbound_limit_reached","message":"Cap hit","status":429,"limit":50,"current":50}'
    exc = error_from_response(response(429, body), method="POST", path="/chats/%2B1/messages")
    assert (exc.status, exc.error, exc.code, exc.message) == (
        429,
        "too_many_requests",
        "outbound_limit_reached",
        "Cap hit",
    )
    assert exc.details == {"limit": 50, "current": 50}
    assert exc.is_quota and not exc.is_retryable
    assert "POST /chats/%2B1/messages" in str(exc)


def test_missing_message_falls_back_to_the_error_label() -> None:
    exc = error_from_response(
        response(404, '{"error":"not_found","status":404}'), method="GET", path="/x"
    )
    assert exc.message == "Not found" and exc.code is None


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html"),
        (b"", "text/plain"),
        (b"\xff\xfe", "application/json"),
    ],
)
def test_non_json_bodies_become_a_readable_error(body: bytes, content_type: str) -> None:
    exc = error_from_response(
        response(502, body, {"content-type": content_type}), method="GET", path="/me"
    )
    assert exc.status == 502 and exc.is_retryable
    assert "non-JSON" in exc.message and content_type in exc.message


def test_json_that_is_not_an_object_is_handled() -> None:
    exc = error_from_response(response(500, "[1, 2]"), method="GET", path="/me")
    assert exc.status == 500 and "non-JSON" in exc.message


def test_server_prose_that_echoes_the_key_is_masked() -> None:
    body = '{"error":"unauthorized","message":"Key bl_live_abcdef123 is revoked"}'
    exc = error_from_response(
        response(401, body), method="GET", path="/me", secrets=["bl_live_abcdef123"]
    )
    assert "abcdef123" not in str(exc) and exc.is_auth


def test_retry_after_seconds_http_date_and_ms() -> None:
    assert parse_retry_after(httpx.Headers({"Retry-After": "7"})) == 7.0
    assert parse_retry_after(httpx.Headers({"Retry-After": "1.5"})) == 1.5
    assert parse_retry_after(httpx.Headers({"retry-after-ms": "250"})) == 0.25
    date = email.utils.formatdate(1_000_030, usegmt=True)
    assert parse_retry_after(httpx.Headers({"Retry-After": date}), now=1_000_000) == pytest.approx(
        30
    )
    assert parse_retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    assert parse_retry_after(httpx.Headers({"Retry-After": "-5"})) == 0.0
    assert parse_retry_after(httpx.Headers()) is None


def test_transport_errors_name_the_host_and_flag_timeouts() -> None:
    request = httpx.Request(
        "GET",
        "https://backend.blooio.com/v2/api/me",
        headers={"Authorization": "Bearer bl_live_zzzzzzzz"},
    )
    refused = error_from_transport(
        httpx.ConnectError("Connection refused", request=request),
        method="GET",
        path="/me",
        host="backend.blooio.com",
    )
    assert (
        not refused.timeout and "backend.blooio.com" in str(refused) and "refused" in str(refused)
    )
    timed_out = error_from_transport(
        httpx.ReadTimeout("timed out", request=request), method="GET", path="/me", host="h"
    )
    assert timed_out.timeout and "Timed out" in str(timed_out)
    assert "zzzz" not in str(refused) + str(timed_out)
