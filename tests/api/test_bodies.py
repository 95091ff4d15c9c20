"""Request bodies are exactly what blooio-api.md §6 documents, built from core values."""

from __future__ import annotations

import uuid

import pytest

from blooio_desktop.api import bodies
from blooio_desktop.api.params import build_path
from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.models import Attachment, ReplyTo


def test_send_body_shapes() -> None:
    body = bodies.send_body(
        text="hi",
        attachments=[
            "https://a.test/1.jpg",
            Attachment("https://a.test/2.pdf", name="2.pdf"),
            Attachment("https://a.test/3"),
        ],
        from_number="+1 555 000 1111",
        use_typing_indicator=False,
        reply_to=ReplyTo(guid="p:0/ABC", part_index=1),
    )
    assert body == {
        "text": "hi",
        "attachments": [
            "https://a.test/1.jpg",
            {"url": "https://a.test/2.pdf", "name": "2.pdf"},
            "https://a.test/3",
        ],
        "from_number": "+15550001111",
        "use_typing_indicator": False,
        "reply_to": {"guid": "p:0/ABC", "part_index": 1},
    }
    assert bodies.send_body(
        text=["a", "b"], attachments=(), from_number=None, use_typing_indicator=None, reply_to=None
    ) == {"text": ["a", "b"]}
    single = bodies.send_body(
        text=None,
        attachments="https://a.test/x",
        from_number=None,
        use_typing_indicator=None,
        reply_to="m1",
    )  # type: ignore[arg-type]
    assert single == {"attachments": ["https://a.test/x"], "reply_to": {"message_id": "m1"}}


def test_idempotency_keys() -> None:
    assert uuid.UUID(bodies.idempotency_key(None)).version == 4
    assert bodies.idempotency_key("order-4281-shipped") == "order-4281-shipped"
    with pytest.raises(ValidationError, match="too long"):
        bodies.idempotency_key("k" * 256)


@pytest.mark.parametrize(
    ("reaction", "add", "expected"),
    [
        ("love", True, "+love"),
        ("LIKE", False, "-like"),
        ("+laugh", True, "+laugh"),
        ("heart", True, "+love"),
        ("👍", True, "+👍"),
        ("?", True, "+question"),
    ],
)
def test_reaction_values(reaction: str, add: bool, expected: str) -> None:
    assert bodies.reaction_value(reaction, add=add) == expected


def test_webhook_bodies() -> None:
    assert bodies.webhook_create_body("https://x.test/h", "status", None) == {
        "webhook_url": "https://x.test/h",
        "webhook_type": "status",
    }
    assert bodies.webhook_update_body(None, None, True) == {"deprecate": True}
    assert bodies.webhook_update_body(None, -1, None) == {"valid_until": -1}
    with pytest.raises(ValidationError, match="milliseconds"):
        bodies.webhook_update_body(None, -5, None)


def test_every_path_segment_is_fully_encoded() -> None:
    assert (
        build_path("chats", "+15551234567,ann@example.com", "messages", -1, "reactions")
        == "/chats/%2B15551234567%2Cann%40example.com/messages/-1/reactions"
    )
    assert build_path("contacts", "a/b c") == "/contacts/a%2Fb%20c"
