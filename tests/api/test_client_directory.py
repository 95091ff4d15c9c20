"""Account, contacts, chats and groups against the real sandbox."""

from __future__ import annotations

import pytest

from blooio_desktop.api import BlooioClient
from blooio_desktop.core.errors import ApiError, ValidationError
from tests.support.sandbox import SandboxHandle


async def test_me_and_numbers(client: BlooioClient) -> None:
    me = await client.me()
    assert me.valid and me.auth_type == "api_key" and me.organization_id
    numbers = await client.numbers()
    assert numbers and all(n.phone_number.startswith("+") for n in numbers)
    assert {n.phone_number for n in numbers} == {n.phone_number for n in me.numbers}


async def test_me_result_never_carries_the_echoed_key(
    client: BlooioClient, sandbox: SandboxHandle
) -> None:
    me = await client.me()
    assert sandbox.api_key not in repr(me)


async def test_contact_lifecycle_with_email_and_phone_ids(client: BlooioClient) -> None:
    jane = await client.create_contact("+1 (555) 123-4567", "Jane")
    assert jane.identifier == "+15551234567" and jane.name == "Jane"
    ann = await client.create_contact("Ann@Example.com")
    assert ann.identifier == "ann@example.com" and ann.type == "email"
    assert (await client.get_contact("ann@example.com")).contact_id == ann.contact_id
    renamed = await client.rename_contact("+15551234567", "Jane Doe")
    assert renamed.name == "Jane Doe"
    cleared = await client.rename_contact("+15551234567", None)
    assert cleared.name is None
    found = await client.list_contacts(q="ann")
    assert [c.identifier for c in found.items] == ["ann@example.com"]
    by_name = await client.list_contacts(sort="name_asc")
    assert by_name.total == 2
    await client.delete_contact("ann@example.com")
    with pytest.raises(ApiError) as info:
        await client.get_contact("ann@example.com")
    assert info.value.is_not_found


async def test_duplicate_contact_is_a_409_conflict(client: BlooioClient) -> None:
    await client.create_contact("+15551234567")
    with pytest.raises(ApiError) as info:
        await client.create_contact("+15551234567")
    assert info.value.status == 409 and not info.value.is_retryable


async def test_capabilities_distinguish_imessage_and_sms_only(client: BlooioClient) -> None:
    imessage = await client.capabilities("+15551234567")
    assert imessage.imessage and imessage.contact == "+15551234567"
    sms_only = await client.capabilities("+13105550199")  # the sandbox's SMS-only numbers end in 9
    assert sms_only.sms and not sms_only.imessage
    email = await client.capabilities("ann@example.com")
    assert email.type == "email"


async def test_chats_list_search_and_get(client: BlooioClient) -> None:
    await client.create_contact("+15551234567", "Jane")
    await client.send_message("+15551234567", text="hello jane")
    await client.send_message("bob@example.com", text="hello bob")
    chats = await client.list_chats()
    assert {c.id for c in chats.items} == {"+15551234567", "bob@example.com"}
    assert [c.id for c in (await client.list_chats(q="Jane")).items] == ["+15551234567"]
    oldest = await client.list_chats(sort="oldest")
    assert oldest.items[0].id == "+15551234567"
    chat = await client.get_chat("+15551234567")
    assert chat.title == "Jane" and chat.outbound_count == 1 and chat.last_message is not None
    with pytest.raises(ApiError) as info:
        await client.get_chat("+15550000000")
    assert info.value.status == 404 and "/chats/%2B15550000000" in str(info.value)


async def test_bad_list_parameters_get_specific_errors(client: BlooioClient) -> None:
    with pytest.raises(ValidationError, match="sort must be one of"):
        await client.list_chats(sort="newest")
    with pytest.raises(ValidationError, match="1 to 200"):
        await client.list_contacts(limit=500)
    with pytest.raises(ValidationError, match="Offset"):
        await client.list_groups(offset=-1)
    with pytest.raises(ValidationError, match="The chat is empty"):
        await client.get_chat("  ")


async def test_group_lifecycle_members_and_icon(client: BlooioClient) -> None:
    group = await client.create_group("Sales", ["+15551112222", "ann@example.com"])
    assert group.group_id.startswith("grp_") and group.name == "Sales" and group.member_count == 2
    assert (await client.get_group(group.group_id)).name == "Sales"
    assert (await client.rename_group(group.group_id, "Sales EU")).name == "Sales EU"
    members = await client.list_members(group.group_id)
    assert {m.identifier for m in members.items} == {"+15551112222", "ann@example.com"}
    assert [g.group_id for g in (await client.list_groups(q="EU")).items] == [group.group_id]
    icon_url = await client.set_group_icon(
        group.group_id, b"\x89PNG\r\n\x1a\n" + b"0" * 64, "i.png", "image/png"
    )
    assert icon_url is None or icon_url.startswith("http")
    await client.delete_group_icon(group.group_id)
    await client.delete_group(group.group_id)
    with pytest.raises(ApiError) as info:
        await client.get_group(group.group_id)
    assert info.value.is_not_found


async def test_member_changes_are_coming_soon_501(
    client: BlooioClient, sleeps: list[float]
) -> None:
    group = await client.create_group("Team")
    with pytest.raises(ApiError) as info:
        await client.add_member(group.group_id, "+15551112222")
    assert info.value.status == 501 and not info.value.is_retryable
    with pytest.raises(ApiError) as info:
        await client.remove_member(group.group_id, "+15551112222")
    assert info.value.status == 501
    assert sleeps == []  # 501 is never retried


async def test_group_input_is_checked(client: BlooioClient) -> None:
    with pytest.raises(ValidationError, match="Give the group a name"):
        await client.create_group("  ")
    with pytest.raises(ValidationError, match="at most 255"):
        await client.create_group("x" * 256)
    with pytest.raises(ValidationError, match="country code"):
        await client.create_group("Team", ["5551112222"])
    with pytest.raises(ValidationError, match="JPEG, PNG"):
        await client.set_group_icon("grp_abc", b"data", "a.txt", "text/plain")
    with pytest.raises(ValidationError, match="empty"):
        await client.set_group_icon("grp_abc", b"", "a.png", "image/png")
