"""What the sandbox counts, read through `GET /_sandbox/counters` (how tests prove exactly-once)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Counters:
    messages_created: int = 0
    send_requests: int = 0
    idempotent_replays: int = 0
    requests: int = 0
    sends_by_key: Counter[str] = field(default_factory=Counter)
    faults: Counter[str] = field(default_factory=Counter)
    webhooks: Counter[str] = field(default_factory=Counter)

    def as_json(self) -> dict[str, Any]:
        return {
            "messages_created": self.messages_created,
            "sends_by_key": dict(self.sends_by_key),
            "send_requests": self.send_requests,
            "idempotent_replays": self.idempotent_replays,
            "requests": self.requests,
            "faults": dict(self.faults),
            "webhooks": {k: self.webhooks[k] for k in ("attempted", "succeeded", "failed")},
        }
