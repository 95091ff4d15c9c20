"""The list of webhooks this app created survives restarts and never breaks startup."""

from __future__ import annotations

import stat
from pathlib import Path

from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.services.webhook_registry import (
    CreatedWebhook,
    CreatedWebhooks,
    OwnedWebhooks,
)


def test_round_trip_per_account_and_private(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "created-webhooks.json"
    registry = CreatedWebhooks(path)
    registry.add(CreatedWebhook("wh_1", "https://a/webhooks/blooio", "http://sandbox/v2/api", 1.0))
    registry.add(
        CreatedWebhook(
            "wh_2", "https://b/webhooks/blooio", "https://backend.blooio.com/v2/api", 2.0
        )
    )
    again = CreatedWebhooks(path)
    assert [w.webhook_id for w in again.all("http://sandbox/v2/api")] == ["wh_1"]
    again.remove("wh_1")
    assert [w.webhook_id for w in CreatedWebhooks(path).all()] == ["wh_2"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_unreadable_file_is_treated_as_empty(tmp_path: Path) -> None:
    path = tmp_path / "created-webhooks.json"
    path.write_text("{not json")
    assert CreatedWebhooks(path).all() == []


def test_owned_webhooks_keep_the_list_and_the_secrets_in_step(tmp_path: Path) -> None:
    registry = CreatedWebhooks(tmp_path / "created-webhooks.json")
    secrets = SecretStore()
    owned = OwnedWebhooks("http://sandbox/v2/api", registry, secrets)
    owned.remember("wh_1", "https://a/webhooks/blooio", "whsec_one", 1.0)
    secrets.set_webhook_secret("wh_foreign", "whsec_theirs")
    assert [w.webhook_id for w in owned.leftovers()] == ["wh_1"]
    assert owned.secret_of("wh_1") == "whsec_one"
    assert owned.secret_of("wh_foreign") == ""  # never adopt a webhook this app did not create
    assert OwnedWebhooks("https://other/v2/api", registry, secrets).leftovers() == []
    owned.forget("wh_1")
    assert registry.all() == [] and secrets.webhook_secret("wh_1") is None
