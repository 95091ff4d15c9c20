"""Sending and reading messages against the real sandbox, including ids that need percent-encoding."""

from __future__ import annotations

import pytest

from blooio_desktop.api import BlooioClient
from blooio_desktop.core.errors import ApiError, ValidationError
from blooio_desktop.core.models import Attachment, Direction, ReplyTo
from blooio_desktop.core.status import MessageStatus
from tests.support.sandbox import SandboxHandle

PHONE = "+15551234567"


def server_messages(sandbox: SandboxHandle) -> list[dict]:
    return sandbox.control("GET", "state")["messages"]


@pytest.mark.parametrize(
    ("chat_id", "encoded"),
    [
        (PHONE, "%2B15551234567"),
        ("jane@example.com", "jane%40example.com"),
        ("+15551112222,+15553334444", "%2B15551112222%2C%2B15553334444"),
    ],
)
async def test_chat_ids_are_percent_encoded_and_reach_the_right_chat(
    client: BlooioClient, sandbox: SandboxHandle, chat_id: str, encoded: str
) -> None:
    result = await client.send_message(chat_id, text="hello")
    assert client.last_response is not None
    assert client.last_response.path == f"/chats/{encoded}/messages"
    [stored] = [m for m in server_messages(sandbox) if m["message_id"] == result.message_id]
    if "," in chat_id:
        assert result.group_id and result.group_id.startswith("grp_")
        assert set(result.participants) == set(chat_id.split(","))
        assert stored["chat_id"] == result.group_id
    else:
        assert stored["chat_id"] == chat_id  # a "+" that became a space would make another chat


async def test_group_id_chat_round_trip(client: BlooioClient) -> None:
    group = await client.create_group("Team", [PHONE, "ann@example.com"])
    sent = await client.send_message(group.group_id, text="morning team")
    page = await client.list_messages(group.group_id)
    assert [m.message_id for m in page.items] == [sent.message_id]
    assert page.items[0].chat_id == group.group_id


async def test_send_variants_text_list_attachments_and_options(
    client: BlooioClient, sandbox: SandboxHandle
) -> None:
    many = await client.send_message(PHONE, text=["one", "two", "three"])
    assert len(many.message_ids) == 3 and many.status is MessageStatus.QUEUED
    with_files = await client.send_message(
        PHONE,
        text="see attached",
        attachments=[
            "https://example.com/a.jpg",
            Attachment("https://example.com/b.pdf", name="b.pdf"),
        ],
        from_number="+15550002222",
        use_typing_indicator=True,
    )
    message = await client.get_message(PHONE, with_files.message_id)
    assert [a.url for a in message.attachments] == [
        "https://example.com/a.jpg",
        "https://example.com/b.pdf",
    ]
    assert message.attachments[1].name == "b.pdf"
    assert message.internal_id == "+15550002222"
    assert message.direction is Direction.OUTBOUND
    reply = await client.send_message(
        PHONE, text="re", reply_to=ReplyTo(message_id=with_files.message_id)
    )
    assert reply.message_id
    attachment_only = await client.send_message(PHONE, attachments=["https://example.com/c.png"])
    assert attachment_only.message_id


async def test_send_validation_happens_before_any_request(
    client: BlooioClient, sandbox: SandboxHandle
) -> None:
    before = sandbox.counters()["requests"]
    cases = [
        ({"text": "   "}, "Type a message or attach a link"),
        ({"text": "x", "attachments": ["ftp://example.com/a"]}, "http:// or https://"),
        ({"text": "x", "attachments": ["https:///nohost"]}, "no host"),
        ({"text": ["a", "b"], "reply_to": "m1"}, "single message"),
        ({"text": ["a", ""]}, "Message 2 of 2 is empty"),
        ({"text": "x", "from_number": "5550002222"}, "country code"),
        ({"text": "x", "idempotency_key": "has\nnewline"}, "printable ASCII"),
    ]
    for kwargs, fragment in cases:
        with pytest.raises(ValidationError, match=fragment):
            await client.send_message(PHONE, **kwargs)
    with pytest.raises(ValidationError, match="country code"):
        await client.send_message("5551234567", text="x")
    with pytest.raises(ValidationError, match="not a valid group id"):
        await client.send_message("grp_bad-id!", text="x")
    assert sandbox.counters()["requests"] == before


async def test_same_idempotency_key_is_a_replay_not_a_second_message(
    client: BlooioClient, sandbox: SandboxHandle
) -> None:
    first = await client.send_message(PHONE, text="once", idempotency_key="order-4281")
    again = await client.send_message(PHONE, text="once", idempotency_key="order-4281")
    assert not first.replayed and again.replayed
    assert again.message_id == first.message_id
    assert sandbox.counters()["sends_by_key"]["order-4281"] == 1


async def test_every_send_carries_a_generated_key(
    client: BlooioClient, sandbox: SandboxHandle
) -> None:
    a = await client.send_message(PHONE, text="a")
    b = await client.send_message(PHONE, text="b")
    assert a.idempotency_key != b.idempotency_key
    assert set(sandbox.counters()["sends_by_key"]) == {a.idempotency_key, b.idempotency_key}


async def test_history_filters_sort_status_and_single_message(
    client: BlooioClient, sandbox: SandboxHandle
) -> None:
    sent = [await client.send_message(PHONE, text=f"m{i}") for i in range(3)]
    inbound = sandbox.control("POST", "inbound", {"from": PHONE, "text": "reply"})
    newest_first = await client.list_messages(PHONE)
    assert newest_first.total == 4
    assert newest_first.items[0].message_id == inbound["message_id"]
    oldest_first = await client.list_messages(PHONE, sort="asc")
    assert [m.message_id for m in oldest_first.items][:3] == [s.message_id for s in sent]
    only_in = await client.list_messages(PHONE, direction="inbound")
    assert [m.text for m in only_in.items] == ["reply"]
    t0 = oldest_first.items[0].time_sent
    assert t0 is not None
    after_first = await client.list_messages(PHONE, since=t0, sort="asc")
    assert oldest_first.items[0].message_id not in [m.message_id for m in after_first.items]
    until_first = await client.list_messages(PHONE, until=t0 + 1, sort="asc")
    assert [m.message_id for m in until_first.items] == [sent[0].message_id]
    status = await client.message_status(PHONE, sent[0].message_id)
    assert status.message_id == sent[0].message_id and status.chat_id == PHONE
    assert status.status in (MessageStatus.QUEUED, MessageStatus.SENT, MessageStatus.DELIVERED)
    got = await client.get_message(PHONE, inbound["message_id"])
    assert got.text == "reply" and got.direction is Direction.INBOUND


async def test_reactions_by_id_and_relative_index(client: BlooioClient) -> None:
    first = await client.send_message(PHONE, text="first")
    last = await client.send_message(PHONE, text="last")
    added = await client.react(PHONE, -1, "love")
    assert (added.message_id, added.reaction, added.action) == (last.message_id, "love", "add")
    removed = await client.react(PHONE, first.message_id, "like", add=False)
    assert removed.action == "remove" and removed.message_id == first.message_id
    message = await client.get_message(PHONE, last.message_id)
    assert [(r.reaction, r.is_added) for r in message.reactions] == [("love", True)]
    thumbs = await client.react(PHONE, first.message_id, "thumbs_up")
    assert thumbs.reaction == "like"
    with pytest.raises(ValidationError, match="contradicts"):
        await client.react(PHONE, -1, "-love", add=True)
    with pytest.raises(ValidationError, match="not a reaction"):
        await client.react(PHONE, -1, "hug")
    with pytest.raises(ValidationError, match="counts back"):
        await client.react(PHONE, 0, "love")


async def test_typing_and_mark_read(client: BlooioClient) -> None:
    await client.send_message(PHONE, text="hi")
    assert await client.start_typing(PHONE) is None
    assert await client.stop_typing(PHONE) is None
    marked_at = await client.mark_read(PHONE)
    assert marked_at > 1_600_000_000_000


async def test_reply_to_a_message_of_another_chat_is_a_reply_target_error(
    client: BlooioClient,
) -> None:
    other = await client.send_message("+15559990000", text="elsewhere")
    with pytest.raises(ApiError) as info:
        await client.send_message(PHONE, text="re", reply_to=other.message_id)
    assert info.value.status == 400 and info.value.is_reply_target
