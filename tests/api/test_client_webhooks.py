"""Webhook management against the real sandbox: secrets shown once, update, rotate, logs, replay."""

from __future__ import annotations

import asyncio

import pytest

from blooio_desktop.api import BlooioClient
from blooio_desktop.core.errors import ApiError, ValidationError
from tests.support.sandbox import SandboxHandle


async def test_create_reveals_the_secret_once(client: BlooioClient) -> None:
    created = await client.create_webhook("https://example.com/hooks/blooio", "all")
    assert created.webhook_id.startswith("wh_")
    assert created.signing_secret and created.signing_secret.startswith("whsec_")
    assert created.signing_secret not in repr(created)
    again = await client.create_webhook("https://example.com/hooks/blooio", "all")
    assert again.webhook_id == created.webhook_id and again.signing_secret is None
    listed = await client.list_webhooks()
    assert [w.webhook_id for w in listed] == [created.webhook_id]
    fetched = await client.get_webhook(created.webhook_id)
    assert (
        fetched.webhook_url == "https://example.com/hooks/blooio" and fetched.signing_secret is None
    )


async def test_update_deprecate_rotate_delete(client: BlooioClient) -> None:
    hook = await client.create_webhook("https://example.com/h", "message")
    assert (
        await client.update_webhook(hook.webhook_id, webhook_type="status")
    ).webhook_type == "status"
    paused = await client.update_webhook(hook.webhook_id, deprecate=True)
    assert not paused.is_active and paused.deprecated_at is not None
    expiring = await client.update_webhook(hook.webhook_id, valid_until=4_102_444_800_000)
    assert expiring.valid_until == 4_102_444_800_000
    new_secret = await client.rotate_webhook_secret(hook.webhook_id)
    assert new_secret.startswith("whsec_") and new_secret != hook.signing_secret
    await client.delete_webhook(hook.webhook_id)
    with pytest.raises(ApiError) as info:
        await client.get_webhook(hook.webhook_id)
    assert info.value.is_not_found


async def test_webhook_input_is_checked(client: BlooioClient) -> None:
    with pytest.raises(ValidationError, match="http:// or https://"):
        await client.create_webhook("example.com/hook")
    with pytest.raises(ValidationError, match="one of message, status, all, poll"):
        await client.create_webhook("https://example.com/h", "everything")
    with pytest.raises(ValidationError, match="Nothing to change"):
        await client.update_webhook("wh_abc")
    with pytest.raises(ValidationError, match="100 to 599"):
        await client.list_webhook_logs("wh_abc", status=42)


async def test_logs_and_replay(client: BlooioClient, sandbox: SandboxHandle) -> None:
    # Deliveries to a closed loopback port fail fast and are still logged.
    hook = await client.create_webhook("http://127.0.0.1:9/hook", "all")
    sandbox.control("POST", "inbound", {"from": "+15551234567", "text": "ping"})
    for _ in range(100):
        page = await client.list_webhook_logs(hook.webhook_id, sort="desc")
        if page.items:
            break
        await asyncio.sleep(0.05)
    assert page.items, "the sandbox logged no delivery attempt"
    log = page.items[0]
    assert log.event_name == "message.received" and log.event_body.get("text") == "ping"
    replay = await client.replay_webhook(hook.webhook_id, log.event_id)
    assert replay.get("original_event_id") == log.event_id
    everything = [entry async for entry in client.iter_webhook_logs(hook.webhook_id, page_size=1)]
    assert len(everything) >= 2
