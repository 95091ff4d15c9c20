"""Wire JSON → core models: lenient about what the server leaves out or adds."""

from __future__ import annotations

import logging

import pytest

from blooio_desktop.api import schemas
from blooio_desktop.core.errors import ApiError
from blooio_desktop.core.models import Attachment, Direction, Protocol
from blooio_desktop.core.status import MessageStatus


def test_message_accepts_both_attachment_shapes_and_unknown_fields() -> None:
    message = schemas.parse_message(
        {
            "message_id": "Qm8FhbH3P7R",
            "direction": "outbound",
            "attachments": [
                "https://a.test/1.jpg",
                {"url": "https://a.test/2.pdf", "name": "2.pdf"},
                {"nope": 1},
                7,
            ],
            "status": "DELIVERED",
            "protocol": "sms",
            "time_sent": "1735689600000",
            "effect": "confetti",
            "reactions": [{"reaction": "+love"}, {"bad": True}],
            "error": {"code": "unreachable", "message": "no service"},
        },
        "+15551234567",
    )
    assert message.attachments == (
        Attachment("https://a.test/1.jpg"),
        Attachment("https://a.test/2.pdf", name="2.pdf"),
    )
    assert message.chat_id == "+15551234567" and message.direction is Direction.OUTBOUND
    assert message.status is MessageStatus.DELIVERED and message.protocol is Protocol.SMS
    assert message.time_sent == 1735689600000
    assert [r.reaction for r in message.reactions] == ["love"]
    assert message.error == "no service"


def test_a_delivered_message_with_a_read_time_shows_as_read() -> None:
    read = {"message_id": "m1", "direction": "outbound", "status": "delivered", "time_read": 5}
    assert schemas.parse_message(read, "c").status is MessageStatus.READ
    inbound = {**read, "direction": "inbound"}
    assert schemas.parse_message(inbound, "c").status is MessageStatus.DELIVERED


def test_minimal_message_gets_sensible_defaults() -> None:
    message = schemas.parse_message({"message_id": "m1"}, "grp_x")
    assert message.direction is Direction.INBOUND and message.status is MessageStatus.RECEIVED
    assert (
        message.protocol is Protocol.UNKNOWN and message.attachments == () and message.text is None
    )


def test_an_object_without_its_id_is_an_invalid_response() -> None:
    with pytest.raises(ApiError, match="message without"):
        schemas.parse_message({"text": "hi"}, "c")


def test_lists_skip_items_without_ids_and_say_so(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    page = schemas.parse_page(
        {
            "chats": [{"id": "+15551234567"}, {"message_count": 3}, "junk"],
            "pagination": {"limit": 2, "offset": 4, "total": 9},
        },
        "chats",
        schemas.parse_chat,
        limit=50,
        offset=0,
    )
    assert [c.id for c in page.items] == ["+15551234567"]
    assert (page.limit, page.offset, page.total, page.has_more) == (2, 4, 9, None)
    assert "Skipped a chat" in caplog.text


def test_page_without_pagination_uses_the_request() -> None:
    page = schemas.parse_page(
        {"logs": [], "has_more": False}, "logs", schemas.parse_webhook_log, limit=10, offset=20
    )
    assert (page.limit, page.offset, page.total, page.has_more) == (10, 20, None, False)


def test_send_results_single_batch_and_group() -> None:
    single = schemas.parse_send_result({"message_id": "a"}, idempotency_key="k", replayed=False)
    assert single.message_ids == ("a",) and single.status is MessageStatus.QUEUED
    batch = schemas.parse_send_result(
        {"message_ids": ["a", "b"], "count": 2, "status": "queued"},
        idempotency_key="k",
        replayed=True,
    )
    assert batch.message_ids == ("a", "b") and batch.replayed
    group = schemas.parse_send_result(
        {
            "message_id": "b7",
            "group_id": "grp_x1",
            "group_created": True,
            "participants": ["+1", "+2"],
        },
        idempotency_key="k",
        replayed=False,
    )
    assert group.group_id == "grp_x1" and group.group_created and group.participants == ("+1", "+2")
    with pytest.raises(ApiError):
        schemas.parse_send_result({"status": "queued"}, idempotency_key="k", replayed=False)


def test_account_drops_the_echoed_key_and_normalises_device_times() -> None:
    account = schemas.parse_account(
        {
            "valid": True,
            "api_key": "bl_live_secret",
            "organization": {"organization_id": "org_1", "name": "Acme"},
            "devices": [{"phone_number": "+15550001111", "last_active": 0, "plan_kind": None}],
        }
    )
    assert "bl_live_secret" not in repr(account)
    assert account.organization_id == "org_1" and account.organization_name == "Acme"
    assert account.numbers[0].last_active == "1970-01-01T00:00:00Z"


def test_webhook_and_log_shapes() -> None:
    hook = schemas.parse_webhook(
        {
            "webhook_id": "wh_1",
            "webhook_url": "https://x.test",
            "deprecated_at": 5,
            "signing_secret": "whsec_abc",
        }
    )
    assert (
        not hook.is_active and hook.signing_secret == "whsec_abc" and "whsec_abc" not in repr(hook)
    )
    log = schemas.parse_webhook_log(
        {
            "event_id": "evt_1",
            "event_body": {"event": "message.sent", "message_id": "m1"},
            "metadata": {"is_replay": True, "duration_ms": 12},
        }
    )
    assert (log.event_name, log.message_id, log.is_replay, log.duration_ms) == (
        "message.sent",
        "m1",
        True,
        12,
    )


def test_capabilities_tolerate_the_v1_field_name() -> None:
    caps = schemas.parse_capabilities(
        {"capabilities": {"imessage": True}, "lastChecked": 17}, "+1555"
    )
    assert caps.contact == "+1555" and caps.imessage and not caps.sms and caps.last_checked == 17
