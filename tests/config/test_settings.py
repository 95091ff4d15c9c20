"""Settings survive restarts, tolerate old/new/corrupt files, and never hold secrets."""

from __future__ import annotations

import json
import logging
import stat
from pathlib import Path

import pytest

from blooio_desktop.config.settings import ForwardTarget, Settings
from blooio_desktop.core.errors import ConfigError, ValidationError


def test_defaults() -> None:
    s = Settings()
    assert s.base_url == "https://backend.blooio.com/v2/api"
    assert (s.listener_host, s.listener_port, s.listener_path) == (
        "127.0.0.1",
        0,
        "/webhooks/blooio",
    )
    assert (s.tunnel_provider, s.theme, s.signature_tolerance_s) == ("none", "system", 300)
    assert not s.allow_legacy_signature and s.notifications and not s.launch_minimized


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert Settings.load(tmp_path / "nope.json") == Settings()


def test_round_trip_is_atomic_and_private(tmp_path: Path) -> None:
    path = tmp_path / "cfg" / "settings.json"
    s = Settings().replace(
        theme="dark",
        default_from_number="+1 555 000 1111",
        forward_targets=[{"url": "http://127.0.0.1:3000/hook", "events": ["message.received"]}],
        window_geometry="AdnQywADAAAAAA==",
    )
    s.save(path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"]  # no temp file left behind
    loaded = Settings.load(path)
    assert loaded == s
    assert loaded.default_from_number == "+15550001111"
    assert loaded.forward_targets == (
        ForwardTarget("http://127.0.0.1:3000/hook", ("message.received",)),
    )


def test_unknown_keys_survive_and_bad_values_fall_back(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "settings.json"
    path.write_text(
        json.dumps(
            {
                "theme": "purple",
                "listener_port": "80",
                "future_option": {"a": 1},
                "notifications": False,
            }
        )
    )
    caplog.set_level(logging.WARNING)
    s = Settings.load(path)
    assert s.theme == "system" and s.listener_port == 0 and s.notifications is False
    assert "theme" in caplog.text and "listener_port" in caplog.text
    s.save(path)
    assert json.loads(path.read_text())["future_option"] == {"a": 1}


def test_corrupt_file_is_kept_as_bak(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    caplog.set_level(logging.WARNING)
    assert Settings.load(path) == Settings()
    assert (tmp_path / "settings.json.bak").read_text() == "{not json"
    assert not path.exists() and "corrupt" in caplog.text


def test_secret_looking_keys_are_never_written_back(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_text(json.dumps({"api_key": "bl_live_oops", "theme": "light"}))
    Settings.load(path).save(path)
    assert "bl_live_oops" not in path.read_text()


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"tunnel_provider": "cloudflare"}, "none, ngrok, external"),
        ({"listener_port": 70000}, "0–65535"),
        ({"listener_path": "hooks"}, "start with"),
        ({"base_url": "backend.blooio.com"}, "http:// or https://"),
        ({"external_url": "ftp://x"}, "http:// or https://"),
        ({"default_from_number": "555"}, "country code"),
        ({"notifications": "yes"}, "must be a bool"),
        ({"signature_tolerance_s": 0}, "positive"),
        ({"forward_targets": [{"url": "nope"}]}, "forward target URL"),
        ({"colour": "red"}, "Unknown setting"),
    ],
)
def test_replace_rejects_bad_values_with_a_reason(changes: dict, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        Settings().replace(**changes)


def test_save_failure_is_a_config_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError, match="Could not save settings"):
        Settings().save(blocker / "settings.json")
