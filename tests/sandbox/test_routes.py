"""Endpoint shapes and status codes of the sandbox's v2 API (blooio-api.md §6)."""

from __future__ import annotations

import httpx
import pytest

PHONE = "+15551230001"


async def test_contacts_crud_and_conflicts(http: httpx.AsyncClient) -> None:
    created = await http.post("contacts", json={"identifier": PHONE, "name": "Jane Doe"})
    assert created.status_code == 201
    body = created.json()
    assert body["id"] == body["identifier"] == PHONE and body["type"] == "phone"
    assert body["contact_id"].startswith("ct_") and body["name"] == "Jane Doe"
    dup = await http.post("contacts", json={"identifier": PHONE})
    assert dup.status_code == 409 and dup.json()["error"] == "conflict"
    renamed = await http.patch("contacts/%2B15551230001", json={"name": None})
    assert renamed.status_code == 200 and renamed.json()["name"] is None
    deleted = await http.delete("contacts/%2B15551230001")
    assert deleted.json()["success"] is True and isinstance(deleted.json()["deleted_at"], int)
    assert (await http.get("contacts/%2B15551230001")).status_code == 404
    await http.get("chats")  # reading chats must not bring a deleted contact back
    assert (await http.get("contacts")).json()["pagination"]["total"] == 0


async def test_email_contacts_use_percent_encoded_at(http: httpx.AsyncClient) -> None:
    assert (await http.post("contacts", json={"identifier": "Jo@Example.com"})).status_code == 201
    res = await http.get("contacts/jo%40example.com")
    assert res.status_code == 200 and res.json()["type"] == "email"


@pytest.mark.parametrize(
    ("identifier", "fragment"),
    [
        ("5551234567", "country code"),
        ("+0123456789", "never starts with 0"),
        ("not-an@email", "email"),
        ("", "required"),
    ],
)
async def test_bad_identifiers_are_400_with_clear_messages(
    http: httpx.AsyncClient, identifier: str, fragment: str
) -> None:
    res = await http.post("contacts", json={"identifier": identifier})
    assert res.status_code == 400
    assert res.json()["error"] == "bad_request" and fragment in res.json()["message"]


async def test_capabilities_and_tags(http: httpx.AsyncClient) -> None:
    imsg = (await http.get("contacts/%2B15551230001/capabilities")).json()
    assert imsg["capabilities"] == {"imessage": True, "sms": True, "facetime": True}
    sms = (await http.get("contacts/%2B15551230009/capabilities")).json()
    assert sms["capabilities"]["imessage"] is False
    await http.post("contacts", json={"identifier": PHONE})
    added = await http.post(f"contacts/{PHONE}/tags", json={"tags": ["vip"]})
    assert added.json() == {"success": True, "tags_added": ["vip"]}
    assert [t["tag"] for t in (await http.get(f"contacts/{PHONE}/tags")).json()["tags"]] == ["vip"]
    assert (await http.delete(f"contacts/{PHONE}/tags/vip")).status_code == 200


@pytest.mark.parametrize("encoded", ["%2B15551230001", "+15551230001"])
async def test_chat_ids_accept_encoded_and_literal_plus(
    http: httpx.AsyncClient, encoded: str
) -> None:
    sent = await http.post(f"chats/{encoded}/messages", json={"text": "hello"})
    assert sent.status_code == 202
    chat = await http.get(f"chats/{encoded}")
    assert chat.status_code == 200 and chat.json()["id"] == PHONE


async def test_unencoded_plus_turned_space_is_explained(http: httpx.AsyncClient) -> None:
    res = await http.post("chats/%2015551230001/messages", json={"text": "x"})
    assert res.status_code == 400 and "%2B" in res.json()["message"]


async def test_comma_separated_chat_id_creates_then_reuses_a_group(http: httpx.AsyncClient) -> None:
    first = (
        await http.post("chats/%2B15551230001%2C%2B15551230002/messages", json={"text": "hi all"})
    ).json()
    assert first["group_created"] is True and first["group_id"].startswith("grp_")
    assert first["participants"] == ["+15551230001", "+15551230002"]
    again = (
        await http.post("chats/+15551230002,+15551230001/messages", json={"text": "again"})
    ).json()
    assert again["group_id"] == first["group_id"] and again["group_created"] is False
    chat = (await http.get(f"chats/{first['group_id']}")).json()
    assert chat["is_group"] is True and chat["type"] == "group" and chat["message_count"] == 2


async def test_pagination_limits_and_totals(http: httpx.AsyncClient) -> None:
    for i in range(5):
        await http.post("contacts", json={"identifier": f"+1555123100{i}"})
    page = (await http.get("contacts", params={"limit": 2, "offset": 4})).json()
    assert (
        page["pagination"] == {"limit": 2, "offset": 4, "total": 5} and len(page["contacts"]) == 1
    )
    for bad in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "x"}):
        res = await http.get("contacts", params=bad)
        assert (
            res.status_code == 400 and "between" in res.json()["message"]
        ) or "integer" in res.json()["message"]


async def test_messages_list_get_status_and_filters(
    http: httpx.AsyncClient, control: httpx.AsyncClient
) -> None:
    await control.put("world", json={"bot": False})
    ids = [
        (await http.post(f"chats/{PHONE}/messages", json={"text": f"m{i}"})).json()["message_id"]
        for i in range(3)
    ]
    listing = (await http.get(f"chats/{PHONE}/messages", params={"sort": "asc"})).json()
    assert listing["chat_id"] == PHONE and [m["message_id"] for m in listing["messages"]] == ids
    assert (
        listing["messages"][0]["external_id"] == PHONE
        and listing["messages"][0]["direction"] == "outbound"
    )
    assert (await http.get(f"chats/{PHONE}/messages", params={"direction": "inbound"})).json()[
        "messages"
    ] == []
    one = (await http.get(f"chats/{PHONE}/messages/{ids[0]}")).json()
    assert one["chat_id"] == PHONE and one["contact"]["identifier"] == PHONE
    latest = (await http.get(f"chats/{PHONE}/messages/-1")).json()
    assert latest["message_id"] == ids[-1]
    status = (await http.get(f"chats/{PHONE}/messages/{ids[0]}/status")).json()
    assert status["message_id"] == ids[0] and status["status"] in {"queued", "sent", "delivered"}
    assert (await http.get(f"chats/{PHONE}/messages/nope")).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"text": "   "},
        {"attachments": ["ftp://x/y"]},
        {"text": 5},
        {"text": "x", "from_number": "+15559990000"},
    ],
)
async def test_bad_sends_are_400(http: httpx.AsyncClient, body: dict[str, object]) -> None:
    res = await http.post(f"chats/{PHONE}/messages", json=body)
    assert res.status_code == 400 and res.json()["status"] == 400 and res.json()["message"]


async def test_text_array_and_attachments(http: httpx.AsyncClient) -> None:
    multi = (await http.post(f"chats/{PHONE}/messages", json={"text": ["a", "b"]})).json()
    assert multi["count"] == 2 and len(multi["message_ids"]) == 2
    sent = (
        await http.post(
            f"chats/{PHONE}/messages",
            json={"text": "pdf", "attachments": ["https://x.test/invoice-1.pdf"]},
        )
    ).json()
    msg = (await http.get(f"chats/{PHONE}/messages/{sent['message_id']}")).json()
    assert msg["attachments"] == [{"url": "https://x.test/invoice-1.pdf", "name": "invoice-1.pdf"}]


async def test_reactions(http: httpx.AsyncClient) -> None:
    mid = (await http.post(f"chats/{PHONE}/messages", json={"text": "react"})).json()["message_id"]
    res = await http.post(f"chats/{PHONE}/messages/{mid}/reactions", json={"reaction": "+love"})
    assert res.json() == {"success": True, "message_id": mid, "reaction": "love", "action": "add"}
    removed = await http.post(f"chats/{PHONE}/messages/-1/reactions", json={"reaction": "-love"})
    assert removed.json()["action"] == "remove"
    for bad in ("love", "+hug", "", None):
        res = await http.post(f"chats/{PHONE}/messages/{mid}/reactions", json={"reaction": bad})
        assert res.status_code == 400 and "reaction" in res.json()["message"]


async def test_read_typing_and_unknown_chats(http: httpx.AsyncClient) -> None:
    await http.post(f"chats/{PHONE}/messages", json={"text": "x"})
    read = (await http.post(f"chats/{PHONE}/read")).json()
    assert read["status"] == "read" and read["chat_id"] == PHONE
    typing = (await http.post(f"chats/{PHONE}/typing")).json()
    assert typing["typing"] is True and "warning" not in typing
    sms_typing = (await http.delete("chats/%2B15551230009/typing")).json()
    assert sms_typing["typing"] is False and "warning" in sms_typing
    assert (await http.get("chats/%2B15559998888")).status_code == 404
    assert (await http.get("chats/grp_missing")).status_code == 404


async def test_groups_crud_members_and_coming_soon(http: httpx.AsyncClient) -> None:
    res = await http.post("groups", json={"name": "Team", "members": ["+15551230001", "a@b.co"]})
    assert res.status_code == 201
    group = res.json()
    assert group["member_count"] == 2 and group["added_members"] == ["+15551230001", "a@b.co"]
    gid = group["group_id"]
    clash = await http.post("groups", json={"name": "Again", "members": ["a@b.co", "+15551230001"]})
    assert clash.status_code == 409
    assert (await http.patch(f"groups/{gid}", json={"name": "Renamed"})).json()["name"] == "Renamed"
    members = (await http.get(f"groups/{gid}/members")).json()
    assert members["pagination"]["total"] == 2 and {m["id"] for m in members["members"]} == {
        "+15551230001",
        "a@b.co",
    }
    soon = await http.post(f"groups/{gid}/members", json={"contact_id": "+15551230003"})
    assert soon.status_code == 501 and soon.json()["error"] == "not_implemented"
    icon = await http.post(f"groups/{gid}/icon", files={"icon": ("i.png", b"\x89PNG", "image/png")})
    assert icon.status_code == 200 and icon.json()["icon_url"].startswith("https://")
    assert (await http.post("groups", json={"name": ""})).status_code == 400
    assert (await http.delete(f"groups/{gid}")).json()["success"] is True
    assert (await http.get(f"groups/{gid}")).status_code == 404


async def test_account_and_stubs(http: httpx.AsyncClient, server: object) -> None:
    me = (await http.get("me")).json()
    assert me["valid"] is True and [d["phone_number"] for d in me["devices"]] == [
        "+15550001111",
        "+15550002222",
    ]
    assert (await http.get("me/numbers/%2B15550001111/contact-card")).status_code == 501
    assert (await http.post("facetime/calls", json={"handle": PHONE})).status_code == 501
    assert (await http.get("phone-numbers/lookup", params={"number": PHONE})).status_code == 403
    assert (await http.get("location/contacts")).json() == {"friends": []}
    missing = await http.get("no/such/route")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"
