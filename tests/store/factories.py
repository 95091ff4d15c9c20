"""Small builders for core models used across the store tests."""

from __future__ import annotations

from typing import Any

from blooio_desktop.core.models import Direction, Message
from blooio_desktop.core.status import MessageStatus


def message(message_id: str, chat_id: str = "+15550000001", **fields: Any) -> Message:
    defaults: dict[str, Any] = {
        "direction": Direction.INBOUND,
        "text": f"text of {message_id}",
        "time_sent": 1_700_000_000_000,
        "status": MessageStatus.RECEIVED,
    }
    defaults.update(fields)
    return Message(message_id=message_id, chat_id=chat_id, **defaults)
