"""Which Blooio account to use: API key and base URL, from wherever the user put them.

Order (first hit wins): an explicit value, the environment (`BLOOIO_API_KEY` / `BLOOIO_BASE_URL`), a
`.env` file (as Blooio's Python guide suggests), then the OS keyring. No key anywhere means "use the
built-in sandbox". `.env` files are read with python-dotenv's `dotenv_values`, so os.environ is never
modified.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from blooio_desktop.config.paths import AppPaths
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from blooio_desktop.core.errors import ConfigError, ValidationError
from blooio_desktop.core.urls import normalize_base_url

KEY_ENV = "BLOOIO_API_KEY"
BASE_URL_ENV = "BLOOIO_BASE_URL"
SOURCES = ("explicit", "env", "dotenv", "keyring")


@dataclass(frozen=True, slots=True)
class AccountConfig:
    api_key: str = field(repr=False)
    base_url: str
    source: str  # one of SOURCES: where the key came from

    def __repr__(self) -> str:
        return f"AccountConfig(base_url={self.base_url!r}, source={self.source!r}, api_key='***')"

    @property
    def slug(self) -> str:
        """A stable, non-secret, filesystem-safe name for this account (its database file name)."""
        digest = hashlib.sha256(f"{self.base_url}\n{self.api_key}".encode()).hexdigest()
        return f"account-{digest[:16]}"


def default_dotenv_paths() -> tuple[Path, ...]:
    return (Path.cwd() / ".env", AppPaths.default().config_dir / ".env")


def _clean(value: str | None) -> str | None:
    return value.strip() if value and value.strip() else None


def _read_dotenv(paths: Sequence[Path]) -> tuple[dict[str, str], Path | None]:
    """The first `.env` that sets a key or base URL, and its path."""
    for path in paths:
        if not path.is_file():
            continue
        try:
            values = dotenv_values(path)
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"Could not read {path}: {exc}") from None
        found = {k: v for k in (KEY_ENV, BASE_URL_ENV) if (v := _clean(values.get(k)))}
        if found:
            return found, path
    return {}, None


def resolve_account(
    settings: Settings,
    secrets: SecretStore,
    env: Mapping[str, str] | None = None,
    dotenv_paths: Sequence[Path] | None = None,
    *,
    api_key: str | None = None,
    base_url: str | None = None,
) -> AccountConfig | None:
    """The account to use, or None when no API key is configured anywhere (⇒ the sandbox).

    Raises ConfigError for an unusable base URL (naming where it came from) and CredentialError
    when the key would have to come from a keyring that is missing or locked.
    """
    env = os.environ if env is None else env
    dotenv, dotenv_path = _read_dotenv(
        default_dotenv_paths() if dotenv_paths is None else dotenv_paths
    )
    url_candidates = (
        (_clean(base_url), "the --base-url option"),
        (_clean(env.get(BASE_URL_ENV)), f"{BASE_URL_ENV} in the environment"),
        (dotenv.get(BASE_URL_ENV), f"{BASE_URL_ENV} in {dotenv_path}"),
        (settings.base_url, "the app settings"),
    )
    url, where = next((u, w) for u, w in url_candidates if u)
    try:
        url = normalize_base_url(url)
    except ValidationError as exc:
        raise ConfigError(f"{exc.message} (from {where})") from None

    key_candidates = (
        (_clean(api_key), "explicit"),
        (_clean(env.get(KEY_ENV)), "env"),
        (dotenv.get(KEY_ENV), "dotenv"),
    )
    for key, source in key_candidates:
        if key:
            return AccountConfig(api_key=key, base_url=url, source=source)
    stored = _clean(secrets.api_key())
    return AccountConfig(api_key=stored, base_url=url, source="keyring") if stored else None


NO_KEY_HELP = (
    f"No Blooio API key is configured. Set {KEY_ENV} in the environment, put "
    f"{KEY_ENV}=… in a .env file (in this folder or the app's config folder), or save the key in "
    "the app's settings (it is kept in the OS keyring)."
)
