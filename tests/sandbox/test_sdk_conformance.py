"""The official `blooio` SDK parses every sandbox response under strict response validation."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import blooio
import httpx
import pytest

from blooio_desktop.sandbox import SandboxServer
from tests.sandbox.conftest import Receiver, wait_until

PHONE = "+15551230001"


@pytest.fixture
async def sdk(server: SandboxServer) -> AsyncIterator[blooio.AsyncBlooio]:
    client = blooio.AsyncBlooio(
        api_key=server.api_key,
        base_url=server.base_url,
        _strict_response_validation=True,
        max_retries=0,
    )
    async with client:
        yield client


async def test_account_contacts_and_tags(sdk: blooio.AsyncBlooio) -> None:
    assert (await sdk.me.retrieve()).valid is True
    numbers = await sdk.me.numbers.list()
    assert numbers.numbers and numbers.numbers[0].last_active is not None
    created = await sdk.contacts.create(identifier=PHONE, name="Jane")
    assert created.contact_id and created.type == "phone"
    assert (await sdk.contacts.list(limit=10)).pagination.total == 1  # type: ignore[union-attr]
    assert (await sdk.contacts.retrieve(PHONE)).name == "Jane"
    assert (await sdk.contacts.update(PHONE, name="Janet")).name == "Janet"
    caps = await sdk.contacts.check_capabilities(PHONE)
    assert caps.capabilities and caps.capabilities.imessage is True
    assert (await sdk.contacts.tags.add(PHONE, tags=["vip"])).tags_added == ["vip"]
    assert [t.tag for t in (await sdk.contacts.tags.list(PHONE)).tags or []] == ["vip"]
    assert (await sdk.contacts.tags.remove("vip", contact_id=PHONE)).success is True
    assert (await sdk.contacts.delete(PHONE)).success is True
    with pytest.raises(blooio.NotFoundError):
        await sdk.contacts.retrieve(PHONE)
    with pytest.raises(blooio.BadRequestError):
        await sdk.contacts.create(identifier="12345")


async def test_chats_messages_reactions_typing_polls(
    sdk: blooio.AsyncBlooio, control: httpx.AsyncClient
) -> None:
    await control.put("world", json={"bot": True})
    sent = await sdk.chats.messages.send(
        PHONE, text="Hello!", idempotency_key="sdk-1", attachments=["https://x.test/a.pdf"]
    )
    assert sent.status == "queued" and sent.message_id
    replay = await sdk.chats.messages.send(PHONE, text="Hello!", idempotency_key="sdk-1")
    assert replay.message_id == sent.message_id
    multi = await sdk.chats.messages.send(PHONE, text=["one", "two"])
    assert multi.count == 2
    group = await sdk.chats.messages.send(f"{PHONE},+15551230002", text="hi all")
    assert group.group_created is True and group.group_id
    assert (await sdk.chats.list(limit=5)).chats
    chat = await sdk.chats.retrieve(PHONE)
    assert chat.type == "phone" and chat.first_message_time
    assert sent.message_id is not None
    await asyncio.sleep(0.01)
    listing = await sdk.chats.messages.list(PHONE, sort="asc", limit=50)
    assert listing.messages and listing.pagination
    message = await sdk.chats.messages.retrieve(sent.message_id, chat_id=PHONE)
    assert message.attachments
    status = await sdk.chats.messages.get_status(sent.message_id, chat_id=PHONE)
    assert status.status in ("queued", "sent", "delivered")
    reaction = await sdk.chats.messages.react(sent.message_id, chat_id=PHONE, reaction="+like")
    assert reaction.action == "add"
    assert (await sdk.chats.mark_as_read(PHONE)).status == "read"
    assert (await sdk.chats.share_contact_card(PHONE)).success is True
    assert (await sdk.chats.typing.start(PHONE)).typing is True
    assert (await sdk.chats.typing.stop(PHONE)).typing is False
    poll = await sdk.chats.polls.send(PHONE, options=["Pizza", "Sushi"], title="Lunch?")
    assert poll.poll_id
    results = await sdk.chats.polls.get_results(poll.poll_id, chat_id=PHONE)
    assert results.total_votes == 0
    background = await sdk.chats.background.set(
        PHONE, background=("bg.png", b"\x89PNG", "image/png")
    )
    assert background.has_background is True
    assert (await sdk.chats.background.retrieve(PHONE)).background_version == 1
    assert (await sdk.chats.background.remove(PHONE)).has_background is False
    for _ in range(300):  # a delivered message and the bot's reply parse too
        listing = await sdk.chats.messages.list(PHONE)
        if any(m.direction == "inbound" for m in listing.messages or []):
            break
        await asyncio.sleep(0.01)
    assert any(m.direction == "inbound" for m in listing.messages or [])


async def test_groups(sdk: blooio.AsyncBlooio) -> None:
    group = await sdk.groups.create(name="Team", members=[PHONE, "a@b.co"])
    assert group.group_id and group.created_contacts
    assert (await sdk.groups.list()).groups
    assert (await sdk.groups.retrieve(group.group_id)).member_count == 2
    assert (await sdk.groups.update(group.group_id, name="Crew")).name == "Crew"
    members = await sdk.groups.members.list(group.group_id)
    assert members.members and members.pagination
    with pytest.raises(blooio.APIStatusError) as soon:
        await sdk.groups.members.add(group.group_id, contact_id="+15551230003")
    assert soon.value.status_code == 501
    icon = await sdk.groups.icon.set(group.group_id, icon=("i.png", b"\x89PNG", "image/png"))
    assert icon.icon_url
    assert (await sdk.groups.icon.remove(group.group_id)).icon_url is None
    assert (await sdk.groups.delete(group.group_id)).success is True


async def test_webhooks_logs_and_replay(
    sdk: blooio.AsyncBlooio, control: httpx.AsyncClient, receiver: Receiver
) -> None:
    created = await sdk.webhooks.create(webhook_url=receiver.url, webhook_type="all")
    assert created.webhook_id
    assert (await sdk.webhooks.list()).webhooks
    assert (await sdk.webhooks.retrieve(created.webhook_id)).is_active is True
    assert (
        await sdk.webhooks.update(created.webhook_id, webhook_type="message")
    ).webhook_type == "message"
    assert (await sdk.webhooks.secret.rotate(created.webhook_id)).signing_secret
    await control.post("inbound", json={"from": PHONE, "text": "hook"})
    await wait_until(lambda: receiver.received)
    logs = await sdk.webhooks.logs.list(created.webhook_id)
    assert logs.logs and logs.logs[0].event_body and logs.logs[0].event_id
    replay = await sdk.webhooks.logs.replay(logs.logs[0].event_id, webhook_id=created.webhook_id)
    assert replay.success is True
    assert (await sdk.webhooks.delete(created.webhook_id)).success is True


async def test_location_and_stubs(sdk: blooio.AsyncBlooio) -> None:
    assert (await sdk.location.contacts.list()).friends == []
    assert (await sdk.location.contacts.refresh()).success is True
    with pytest.raises(blooio.APIStatusError):
        await sdk.facetime.initiate_call(handle=PHONE)
