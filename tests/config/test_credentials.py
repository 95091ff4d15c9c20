"""Where the account comes from: explicit → environment → .env → keyring; nothing means sandbox."""

from __future__ import annotations

from pathlib import Path

import pytest
from keyring.errors import NoKeyringError

from blooio_desktop.config.credentials import AccountConfig, resolve_account
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from blooio_desktop.core.errors import ConfigError, CredentialError
from tests.config.test_secrets import BrokenKeyring


@pytest.fixture
def dotenv(tmp_path: Path) -> Path:
    path = tmp_path / ".env"
    path.write_text(
        "# from Blooio's guide\nBLOOIO_API_KEY=bl_live_fromdotenv\nBLOOIO_BASE_URL=http://127.0.0.1:9999/v2/api/\n"
    )
    return path


def test_nothing_configured_means_sandbox(tmp_path: Path) -> None:
    assert (
        resolve_account(Settings(), SecretStore(), env={}, dotenv_paths=[tmp_path / ".env"]) is None
    )


def test_precedence(dotenv: Path) -> None:
    secrets = SecretStore()
    secrets.set_api_key("bl_live_fromkeyring")
    env = {"BLOOIO_API_KEY": "bl_live_fromenv"}
    explicit = resolve_account(
        Settings(), secrets, env=env, dotenv_paths=[dotenv], api_key="bl_live_explicit"
    )
    assert explicit is not None and (explicit.api_key, explicit.source) == (
        "bl_live_explicit",
        "explicit",
    )
    from_env = resolve_account(Settings(), secrets, env=env, dotenv_paths=[dotenv])
    assert from_env is not None and (from_env.api_key, from_env.source) == (
        "bl_live_fromenv",
        "env",
    )
    assert from_env.base_url == "http://127.0.0.1:9999/v2/api"  # the .env base URL still applies
    from_dotenv = resolve_account(
        Settings(), secrets, env={"BLOOIO_API_KEY": "  "}, dotenv_paths=[dotenv]
    )
    assert from_dotenv is not None and from_dotenv.source == "dotenv"
    from_keyring = resolve_account(Settings(), secrets, env={}, dotenv_paths=[])
    assert from_keyring is not None and (from_keyring.api_key, from_keyring.source) == (
        "bl_live_fromkeyring",
        "keyring",
    )
    assert from_keyring.base_url == "https://backend.blooio.com/v2/api"


def test_base_url_precedence_and_errors_name_the_source(dotenv: Path) -> None:
    settings = Settings().replace(base_url="https://settings.test/v2/api")
    env = {"BLOOIO_API_KEY": "k", "BLOOIO_BASE_URL": "https://env.test/v2/api"}
    assert (
        resolve_account(
            settings,
            SecretStore(),
            env=env,
            dotenv_paths=[dotenv],
            base_url="https://flag.test/v2/api",
        ).base_url
        == "https://flag.test/v2/api"
    )  # type: ignore[union-attr]
    assert (
        resolve_account(settings, SecretStore(), env=env, dotenv_paths=[]).base_url
        == "https://env.test/v2/api"
    )  # type: ignore[union-attr]
    assert (
        resolve_account(
            settings, SecretStore(), env={"BLOOIO_API_KEY": "k"}, dotenv_paths=[]
        ).base_url
        == "https://settings.test/v2/api"
    )  # type: ignore[union-attr]
    with pytest.raises(ConfigError, match="BLOOIO_BASE_URL in the environment"):
        resolve_account(
            settings, SecretStore(), env={"BLOOIO_BASE_URL": "backend.blooio.com"}, dotenv_paths=[]
        )


def test_dotenv_does_not_touch_os_environ(dotenv: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    resolve_account(Settings(), SecretStore(), env={}, dotenv_paths=[dotenv])
    assert "BLOOIO_API_KEY" not in os.environ


def test_default_dotenv_locations_include_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("BLOOIO_API_KEY=bl_live_cwd\n")
    account = resolve_account(Settings(), SecretStore(), env={})
    assert account is not None and account.source == "dotenv"


def test_env_key_skips_a_broken_keyring_but_keyring_errors_surface_otherwise() -> None:
    broken = SecretStore(backend=BrokenKeyring(NoKeyringError("none")))
    assert (
        resolve_account(Settings(), broken, env={"BLOOIO_API_KEY": "k"}, dotenv_paths=[])
        is not None
    )
    with pytest.raises(CredentialError, match="no keyring"):
        resolve_account(Settings(), broken, env={}, dotenv_paths=[])


def test_account_repr_hides_the_key_and_slug_is_stable_and_safe() -> None:
    a = AccountConfig(
        api_key="bl_live_secret123", base_url="https://backend.blooio.com/v2/api", source="env"
    )
    b = AccountConfig(
        api_key="bl_live_other456", base_url="https://backend.blooio.com/v2/api", source="env"
    )
    assert "secret123" not in repr(a) and "secret123" not in str(a)
    assert a.slug == AccountConfig("bl_live_secret123", a.base_url, "keyring").slug
    assert a.slug != b.slug and a.slug.replace("-", "").isalnum() and "secret" not in a.slug
