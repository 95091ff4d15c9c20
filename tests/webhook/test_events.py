"""Webhook JSON → WebhookEvent: lenient about shapes, faithful to what was sent."""

from __future__ import annotations

import json

import pytest

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.models import Protocol
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.webhook.events import parse_body, parse_event


def test_group_message_with_object_attachments_and_participants() -> None:
    event = parse_event(
        {
            "event": "message.received",
            "message_id": "RX12ab34",
            "external_id": "grp_abc123",
            "internal_id": "+15550001111",
            "protocol": "imessage",
            "timestamp": 1735689601474,
            "is_group": True,
            "group_id": "grp_abc123",
            "group_name": "Team",
            "participants": [
                {"contact_id": "ct_1", "identifier": "+15551234567", "name": "Jane"},
                {"contact_id": "ct_2", "identifier": "+15559876543", "name": None},
            ],
            "text": "hi all",
            "attachments": [{"url": "https://media.blooio.com/p.jpg", "name": "p.jpg"}],
            "sender": "+15551234567",
        }
    )
    assert (event.chat_id, event.group_name, event.protocol) == (
        "grp_abc123",
        "Team",
        Protocol.IMESSAGE,
    )
    assert [p.identifier for p in event.participants] == ["+15551234567", "+15559876543"]
    assert event.attachments[0].name == "p.jpg"


def test_string_attachments_and_unknown_fields_are_kept() -> None:
    event = parse_event(
        {
            "event": "message.received",
            "message_id": "m",
            "attachments": ["https://a/b.png"],
            "new": 1,
        }
    )
    assert event.attachments[0].url == "https://a/b.png"
    assert event.raw["new"] == 1


def test_unknown_event_is_kept_with_its_payload() -> None:
    event = parse_event({"event": "poll.voted", "poll_id": "p1"})
    assert not event.is_known and event.raw == {"event": "poll.voted", "poll_id": "p1"}


def test_status_events_carry_their_times() -> None:
    event = parse_event(
        {
            "event": "message.failed",
            "message_id": "m3",
            "status": "failed",
            "error_code": "unreachable",
            "timestamp": "17",
        }
    )
    assert (event.status, event.error_code, event.timestamp) == (
        MessageStatus.FAILED,
        "unreachable",
        17,
    )


def test_guide_style_envelope_with_from_is_unwrapped() -> None:
    """Blooio's Python guide reads event['data']['text'] and ['from']: that shape must work too."""
    event = parse_event(
        {"event": "message.received", "data": {"id": "m9", "text": "yo", "from": "+15550002222"}}
    )
    assert (event.message_id, event.text, event.sender) == ("m9", "yo", "+15550002222")


def test_event_name_falls_back_to_the_header() -> None:
    assert (
        parse_body(json.dumps({"message_id": "m"}).encode(), event_header="message.read").event
        == "message.read"
    )


@pytest.mark.parametrize("body", [b"", b"nope", b"[]", b"\xff", b'"text"'])
def test_non_objects_are_rejected_clearly(body: bytes) -> None:
    with pytest.raises(ValidationError, match="JSON"):
        parse_body(body)


def test_wrong_types_are_ignored_not_fatal() -> None:
    event = parse_event(
        {
            "event": "message.received",
            "message_id": ["x"],
            "timestamp": True,
            "attachments": {"u": 1},
        }
    )
    assert (event.message_id, event.timestamp, event.attachments) == (None, None, ())
