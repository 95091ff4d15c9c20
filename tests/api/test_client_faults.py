"""Errors, retries and idempotent replay against the sandbox's fault injection (real sockets)."""

from __future__ import annotations

import dataclasses
import logging

import pytest

from blooio_desktop.api import BlooioClient, RetryPolicy
from blooio_desktop.core.errors import ApiError, ConnectionFailed
from tests.support.sandbox import SandboxHandle

PHONE = "+15551234567"


async def test_generic_429_waits_retry_after_then_succeeds(
    sandbox: SandboxHandle, retry: RetryPolicy, sleeps: list[float]
) -> None:
    sandbox.control("PUT", "world", {"bot": False})
    sandbox.set_faults(rate_limit_rate=0.4, rate_limit_retry_after=2, random_seed=7)
    patient = dataclasses.replace(retry, max_retries=10)
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=patient) as client:
        results = [await client.send_message(PHONE, text=f"m{i}") for i in range(6)]
        assert client.last_response is not None and client.last_response.status == 202
    counters = sandbox.counters()
    assert counters["faults"]["rate_limit"] == len(sleeps) > 0
    assert set(sleeps) == {2.0}
    assert counters["messages_created"] == len(results) == 6


async def test_retry_after_is_capped_and_retries_are_bounded(
    client: BlooioClient, sandbox: SandboxHandle, sleeps: list[float]
) -> None:
    sandbox.set_faults(rate_limit_rate=1, rate_limit_retry_after=3600)
    with pytest.raises(ApiError) as info:
        await client.me()
    assert info.value.status == 429 and info.value.retry_after == 3600
    assert info.value.is_rate_limited and not info.value.is_quota
    assert sleeps == [60.0, 60.0, 60.0]


async def test_5xx_is_retried_but_503_is_surfaced(
    client: BlooioClient, sandbox: SandboxHandle, sleeps: list[float]
) -> None:
    sandbox.set_faults(error_rate=1, error_statuses=[502])
    with pytest.raises(ApiError) as info:
        await client.list_chats()
    assert info.value.status == 502 and len(sleeps) == 3
    assert all(0 <= s <= 20 for s in sleeps)
    sleeps.clear()
    sandbox.set_faults(error_rate=1, error_statuses=[503])
    with pytest.raises(ApiError) as info:
        await client.list_chats()
    assert info.value.status == 503 and sleeps == []


async def test_4xx_is_never_retried(
    client: BlooioClient, sandbox: SandboxHandle, sleeps: list[float]
) -> None:
    with pytest.raises(ApiError) as info:
        await client.get_chat("+15550000000")
    assert info.value.status == 404 and info.value.error == "not_found"
    assert sleeps == []


async def test_wrong_key_is_an_auth_error_without_the_key(
    sandbox: SandboxHandle, retry: RetryPolicy, sleeps: list[float]
) -> None:
    async with BlooioClient("bl_live_wrongwrongwrong", sandbox.base_url, retry=retry) as bad:
        with pytest.raises(ApiError) as info:
            await bad.me()
    assert info.value.status == 401 and info.value.is_auth and sleeps == []
    assert "wrongwrong" not in str(info.value) + repr(info.value)


async def test_connection_reset_is_retried_for_reads_and_sends(
    client: BlooioClient, sandbox: SandboxHandle, sleeps: list[float]
) -> None:
    sandbox.set_faults(reset_rate=1)
    with pytest.raises(ConnectionFailed) as info:
        await client.list_chats()
    assert not info.value.timeout and len(sleeps) == 3
    sleeps.clear()
    with pytest.raises(ConnectionFailed):
        await client.send_message(PHONE, text="hi")
    assert len(sleeps) == 3  # safe: the Idempotency-Key makes a send replayable


async def test_post_without_idempotency_is_not_blindly_retried(
    client: BlooioClient, sandbox: SandboxHandle, sleeps: list[float]
) -> None:
    sandbox.set_faults(reset_rate=1)
    with pytest.raises(ConnectionFailed):
        await client.create_contact(PHONE)
    assert sleeps == []  # the server might have created it: a retry could only say 409


async def test_accept_then_timeout_creates_exactly_one_message(
    sandbox: SandboxHandle, retry: RetryPolicy, sleeps: list[float]
) -> None:
    """The server stores the send, then never answers. Every retry reuses the key, so however many
    attempts the client makes, one message exists; a later retry by the user is a replay."""
    sandbox.control("PUT", "world", {"bot": False})
    sandbox.set_faults(accept_then_timeout_rate=1, hang_s=2, paths="/messages$")
    async with BlooioClient(sandbox.api_key, sandbox.base_url, timeout=0.3, retry=retry) as slow:
        with pytest.raises(ConnectionFailed) as info:
            await slow.send_message(PHONE, text="once only", idempotency_key="job-1")
        assert info.value.timeout and len(sleeps) == 3
        counters = sandbox.counters()
        assert counters["send_requests"] == 4
        assert counters["messages_created"] == 1 and counters["sends_by_key"] == {"job-1": 1}
        sandbox.set_faults()
        again = await slow.send_message(PHONE, text="once only", idempotency_key="job-1")
    assert again.replayed
    assert [m["text"] for m in sandbox.control("GET", "state")["messages"]] == ["once only"]


async def test_secrets_stay_out_of_logs_reprs_and_errors(
    sandbox: SandboxHandle, retry: RetryPolicy, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    sandbox.set_faults(error_rate=0.5, error_statuses=[500], reset_rate=0.2, random_seed=3)
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=retry) as api:
        assert sandbox.api_key not in repr(api)
        outcomes: list[str] = []
        for _ in range(8):
            try:
                await api.me()
                outcomes.append("ok")
            except (ApiError, ConnectionFailed) as exc:
                outcomes.append(f"{exc!s} {exc!r}")
        hook = await _create_hook_despite_faults(api, sandbox)
    text = caplog.text + " ".join(outcomes)
    assert "Retrying" in caplog.text  # the retries were logged...
    assert sandbox.api_key not in text  # ...without the key
    assert hook.signing_secret and hook.signing_secret not in caplog.text + repr(hook)


async def _create_hook_despite_faults(api: BlooioClient, sandbox: SandboxHandle):  # type: ignore[no-untyped-def]
    sandbox.set_faults()
    return await api.create_webhook("https://example.com/secret-test")
