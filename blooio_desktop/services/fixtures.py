"""Sample webhook events for every event type, plus the user's own saved deliveries.

Built-in fixtures follow blooio-api.md §10.3/§10.4; each build gets a fresh `message_id` and the
current `timestamp` unless the caller overrides them. User fixtures are JSON files under
`<config>/fixtures/`, so they can be edited, shared and versioned.
"""

from __future__ import annotations

import copy
import json
import re
import time
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from blooio_desktop.core.errors import ValidationError

_OURS = "+15550001111"
_THEM = "+15551234567"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")

BUILTIN: dict[str, dict[str, Any]] = {
    "message.received": {
        "event": "message.received", "external_id": _THEM, "internal_id": _OURS,
        "status": "received", "protocol": "imessage", "is_group": False,
        "text": "Is the order ready?", "attachments": [], "sender": _THEM,
    },
    "message.received.group": {
        "event": "message.received", "external_id": "grp_fixture1", "internal_id": _OURS,
        "status": "received", "protocol": "imessage", "is_group": True,
        "group_id": "grp_fixture1", "group_name": "Team",
        "participants": [
            {"contact_id": "ct_1", "identifier": _THEM, "name": "Jane"},
            {"contact_id": "ct_2", "identifier": "+15559876543", "name": None},
        ],
        "text": "hi all",
        "attachments": [{"url": "https://media.blooio.com/fixture/photo.jpg", "name": "photo.jpg"}],
        "sender": _THEM,
    },
    "message.sent": {
        "event": "message.sent", "external_id": _THEM, "internal_id": _OURS, "status": "sent",
        "protocol": "imessage", "is_group": False, "text": "Yes, it ships today.",
    },
    "message.delivered": {
        "event": "message.delivered", "external_id": _THEM, "internal_id": _OURS,
        "status": "delivered", "protocol": "imessage", "is_group": False,
    },
    "message.read": {
        "event": "message.read", "external_id": _THEM, "internal_id": _OURS, "status": "read",
        "protocol": "imessage", "is_group": False,
    },
    "message.failed": {
        "event": "message.failed", "external_id": _THEM, "internal_id": _OURS, "status": "failed",
        "protocol": "sms", "is_group": False, "error_code": "unreachable",
        "error_message": "no service",
    },
    "message.reaction": {
        "event": "message.reaction", "direction": "inbound", "external_id": _THEM,
        "internal_id": _OURS, "reaction": "love", "action": "add", "sender": _THEM,
        "original_text": "See you at 5",
    },
}  # fmt: skip

_TIME_FIELD = {
    "message.received": "received_at",
    "message.sent": "sent_at",
    "message.delivered": "delivered_at",
    "message.read": "read_at",
}


class FixtureLibrary:
    """Built-in samples and user fixtures; `build` returns a payload ready to sign and post."""

    def __init__(self, user_dir: Path) -> None:
        self._dir = user_dir

    def names(self) -> list[str]:
        user = sorted(p.stem for p in self._dir.glob("*.json")) if self._dir.is_dir() else []
        return [*BUILTIN, *(n for n in user if n not in BUILTIN)]

    def build(self, name: str, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """A fresh copy of fixture `name` with `overrides` merged on top."""
        payload: dict[str, Any]
        if name in BUILTIN:
            payload = copy.deepcopy(BUILTIN[name])
            now_ms = int(time.time() * 1000)
            payload["message_id"] = f"fx_{uuid.uuid4().hex[:16]}"
            payload["timestamp"] = now_ms
            time_field = _TIME_FIELD.get(payload["event"])
            if time_field:
                payload[time_field] = now_ms - 250
        else:
            payload = self._load_user(name)
        payload.update(overrides or {})
        return payload

    def save(self, name: str, body: bytes) -> Path:
        """Save a delivery's body (must be a JSON object) as user fixture `name`."""
        if not _NAME.match(name) or name in BUILTIN:
            raise ValidationError(
                f"{name!r} cannot be a fixture name: use letters, digits, '.', '_' or '-' "
                "(up to 64), and not a built-in name",
                field="name",
            )
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            raise ValidationError("only a JSON object body can be saved as a fixture", field="body")
        self._dir.mkdir(parents=True, exist_ok=True)
        path = self._dir / f"{name}.json"
        path.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        return path

    def _load_user(self, name: str) -> dict[str, Any]:
        path = self._dir / f"{name}.json"
        if not _NAME.match(name) or not path.is_file():
            known = ", ".join(self.names())
            raise ValidationError(f"no fixture named {name!r}; known: {known}", field="event")
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValidationError(f"fixture {path} cannot be read: {exc}", field="event") from None
        if not isinstance(payload, dict):
            raise ValidationError(f"fixture {path} is not a JSON object", field="event")
        return payload
