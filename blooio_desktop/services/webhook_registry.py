"""Which Blooio webhooks this app created, persisted so a crash-restart can clean up its leftovers.

The connectivity service only ever deletes ids listed here: webhooks the user (or another tool)
registered are never touched. A small private JSON file, written atomically. `OwnedWebhooks` keeps
that list and the signing secrets (in the keyring) in step.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Protocol

from blooio_desktop.core.errors import CredentialError

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


class WebhookSecrets(Protocol):
    """Where signing secrets live (`config.secrets.SecretStore` in the app)."""

    def webhook_secret(self, webhook_id: str) -> str | None: ...
    def set_webhook_secret(self, webhook_id: str, value: str) -> None: ...
    def delete_webhook_secret(self, webhook_id: str) -> None: ...


class OwnedWebhooks:
    """The webhooks this app registered with one API and their secrets; either store is optional
    (headless tools keep both in memory only). A keyring failure is logged, never raised."""

    def __init__(
        self, base_url: str, registry: CreatedWebhooks | None, secrets: WebhookSecrets | None
    ) -> None:
        self._base_url = base_url
        self._registry = registry
        self._secrets = secrets

    def leftovers(self) -> list[CreatedWebhook]:
        """What a previous run created for this API and could not remove (crash, no network)."""
        return self._registry.all(self._base_url) if self._registry is not None else []

    def remember(self, webhook_id: str, url: str, secret: str, now: float) -> None:
        if self._registry is not None:
            self._registry.add(CreatedWebhook(webhook_id, url, self._base_url, now))
        if self._secrets is not None:
            try:
                self._secrets.set_webhook_secret(webhook_id, secret)
            except CredentialError as exc:
                log.warning("webhook secret kept in memory only: %s", exc)

    def forget(self, webhook_id: str) -> None:
        if self._registry is not None:
            self._registry.remove(webhook_id)
        if self._secrets is not None:
            try:
                self._secrets.delete_webhook_secret(webhook_id)
            except CredentialError as exc:
                log.warning("could not delete a webhook secret from the keyring: %s", exc)

    def secret_of(self, webhook_id: str) -> str:
        """The stored secret of a webhook this app created; "" for any other webhook."""
        if self._registry is None or self._secrets is None:
            return ""
        if not any(w.webhook_id == webhook_id for w in self._registry.all()):
            return ""
        try:
            return self._secrets.webhook_secret(webhook_id) or ""
        except CredentialError:
            return ""
