"""Retry arithmetic and the retry loop's decisions (pure: httpx.MockTransport, no sockets)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from blooio_desktop.api import BlooioClient, RetryPolicy
from blooio_desktop.core.errors import ApiError, ConnectionFailed, ValidationError


def api_error(status: int, code: str | None = None, retry_after: float | None = None) -> ApiError:
    return ApiError(status=status, message="x", code=code, retry_after=retry_after)


@pytest.mark.parametrize("status", [408, 425, 429, 500, 502, 504])
def test_transient_statuses_are_retried(status: int) -> None:
    assert RetryPolicy().should_retry(api_error(status))


@pytest.mark.parametrize(
    "error",
    [
        api_error(400),
        api_error(401),
        api_error(403),
        api_error(404),
        api_error(409),
        api_error(501),
        api_error(503),
        api_error(429, "outbound_limit_reached"),
        api_error(429, "new_conversation_limit_reached"),
    ],
)
def test_permanent_failures_and_quotas_are_not_retried(error: ApiError) -> None:
    assert not RetryPolicy().should_retry(error)


def test_unsafe_calls_retry_only_when_the_server_surely_did_nothing() -> None:
    policy = RetryPolicy()
    assert policy.should_retry(api_error(429), replay_safe=False)
    assert not policy.should_retry(api_error(500), replay_safe=False)
    assert not policy.should_retry(ConnectionFailed("reset"), replay_safe=False)
    assert policy.should_retry(ConnectionFailed("timeout", timeout=True))


def test_backoff_is_full_jitter_exponential_and_capped() -> None:
    top = RetryPolicy(jitter=lambda: 0.999999)
    assert [round(top.delay(i, api_error(500)), 2) for i in range(8)] == [
        0.5,
        1.0,
        2.0,
        4.0,
        8.0,
        16.0,
        20.0,
        20.0,
    ]
    assert RetryPolicy(jitter=lambda: 0.0).delay(5, api_error(500)) == 0.0


def test_retry_after_wins_but_is_capped() -> None:
    policy = RetryPolicy(jitter=lambda: 0.0)
    assert policy.delay(0, api_error(429, retry_after=7)) == 7
    assert policy.delay(0, api_error(429, retry_after=86_400)) == 60


def test_bad_policy_values_are_rejected() -> None:
    with pytest.raises(ValidationError, match="negative"):
        RetryPolicy(max_retries=-1)


def scripted(
    *answers: httpx.Response | Exception,
) -> tuple[httpx.MockTransport, list[httpx.Request]]:
    seen: list[httpx.Request] = []
    queue = list(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = queue.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return httpx.MockTransport(handler), seen


async def no_sleep(_: float) -> None:
    await asyncio.sleep(0)


async def test_send_reuses_one_idempotency_key_across_retries() -> None:
    transport, seen = scripted(
        httpx.ReadTimeout("slow"),
        httpx.Response(502, json={"error": "bad_gateway"}),
        httpx.Response(200, json={"message_id": "m1", "status": "queued"}),
    )
    async with BlooioClient(
        "bl_live_k",
        "https://api.test/v2/api",
        transport=transport,
        retry=RetryPolicy(sleep=no_sleep),
    ) as api:
        result = await api.send_message("+15551234567", text="hi")
    keys = {r.headers["Idempotency-Key"] for r in seen}
    assert len(seen) == 3 and keys == {result.idempotency_key}
    assert result.replayed and result.message_id == "m1"
    assert json.loads(seen[0].content) == {"text": "hi"}
    assert seen[0].url.raw_path == b"/v2/api/chats/%2B15551234567/messages"
    assert seen[0].headers["Authorization"] == "Bearer bl_live_k"


async def test_quota_429_is_raised_at_once() -> None:
    transport, seen = scripted(
        httpx.Response(
            429,
            json={"error": "rate_limited", "code": "new_conversation_limit_reached", "cap": 20},
            headers={"Retry-After": "1"},
        )
    )
    async with BlooioClient(
        "k", "https://api.test/v2/api", transport=transport, retry=RetryPolicy(sleep=no_sleep)
    ) as api:
        with pytest.raises(ApiError) as info:
            await api.send_message("+15551234567", text="hi")
    assert info.value.is_quota and info.value.details == {"cap": 20} and len(seen) == 1


async def test_success_with_a_body_that_is_not_json_is_a_clear_error() -> None:
    transport, _ = scripted(
        httpx.Response(
            200, text="<html>captive portal</html>", headers={"content-type": "text/html"}
        )
    )
    async with BlooioClient("k", "https://api.test/v2/api", transport=transport) as api:
        with pytest.raises(ApiError, match="not JSON"):
            await api.me()


async def test_closed_client_says_so() -> None:
    api = BlooioClient("k", "https://api.test/v2/api")
    await api.aclose()
    with pytest.raises(ConnectionFailed, match="closed"):
        await api.me()


async def test_closing_the_client_while_a_retry_waits_ends_the_call_with_a_clear_error() -> None:
    """The app quitting while a request waits to be retried: no second attempt on a closed client."""
    transport, seen = scripted(httpx.ConnectError("refused"), httpx.Response(200, json={}))
    api: BlooioClient

    async def close_while_waiting(_delay: float) -> None:
        await api.aclose()

    policy = RetryPolicy(max_retries=3, sleep=close_while_waiting, jitter=lambda: 0.0)
    api = BlooioClient("k", "https://api.test/v2/api", transport=transport, retry=policy)
    with pytest.raises(ConnectionFailed, match="closed"):
        await api.me()
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("key", "base_url", "fragment"),
    [
        ("", "https://a.test", "API key is empty"),
        ("bl secret", "https://a.test", "spaces"),
        ("secr\u00e9t", "https://a.test", "cannot have"),
        ("secret", "backend.blooio.com", "http:// or https://"),
        ("secret", "https://", "no host"),
    ],
)
def test_constructor_rejects_bad_configuration(key: str, base_url: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment) as info:
        BlooioClient(key, base_url)
    assert "secr" not in str(info.value)
