"""The list of webhooks this app created survives restarts and never breaks startup."""

from __future__ import annotations

import stat
from pathlib import Path

from blooio_desktop.services.webhook_registry import CreatedWebhook, CreatedWebhooks


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
