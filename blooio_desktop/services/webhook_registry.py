"""Which Blooio webhooks this app created, persisted so a crash-restart can clean up its leftovers.

The connectivity service only ever deletes ids listed here: webhooks the user (or another tool)
registered are never touched. A small private JSON file, written atomically.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class CreatedWebhook:
    webhook_id: str
    url: str
    base_url: str  # which API (account/sandbox) it belongs to
    created_at: float


class CreatedWebhooks:
    """The list of webhooks this app registered and has not yet deleted."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def all(self, base_url: str | None = None) -> list[CreatedWebhook]:
        items = self._load()
        return [w for w in items if base_url is None or w.base_url == base_url]

    def add(self, webhook: CreatedWebhook) -> None:
        items = [w for w in self._load() if w.webhook_id != webhook.webhook_id]
        self._save([*items, webhook])

    def remove(self, webhook_id: str) -> None:
        self._save([w for w in self._load() if w.webhook_id != webhook_id])

    def _load(self) -> list[CreatedWebhook]:
        try:
            data = json.loads(self._path.read_text(encoding="utf-8"))
            return [CreatedWebhook(**item) for item in data.get("webhooks", [])]
        except FileNotFoundError:
            return []
        except (OSError, ValueError, TypeError, AttributeError) as exc:
            log.warning("ignoring unreadable webhook registry %s: %s", self._path, exc)
            return []

    def _save(self, items: list[CreatedWebhook]) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = json.dumps({"webhooks": [asdict(w) for w in items]}, indent=2)
        fd, tmp = tempfile.mkstemp(prefix=".webhooks-", dir=self._path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(payload)
            os.chmod(tmp, 0o600)
            os.replace(tmp, self._path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
