"""Every on-disk location comes from here, so tests (and portable installs) can redirect them all.

`BLOOIO_DESKTOP_HOME` puts config, data, logs and cache under one folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "blooio-desktop"
HOME_ENV = "BLOOIO_DESKTOP_HOME"


@dataclass(frozen=True, slots=True)
class AppPaths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path

    @classmethod
    def default(cls) -> AppPaths:
        home = os.environ.get(HOME_ENV)
        if home:
            return cls.under(Path(home))
        return cls(
            config_dir=Path(platformdirs.user_config_dir(APP_NAME)),
            data_dir=Path(platformdirs.user_data_dir(APP_NAME)),
            log_dir=Path(platformdirs.user_log_dir(APP_NAME)),
            cache_dir=Path(platformdirs.user_cache_dir(APP_NAME)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        return cls(
            config_dir=root / "config",
            data_dir=root / "data",
            log_dir=root / "logs",
            cache_dir=root / "cache",
        )

    def ensure(self) -> AppPaths:
        for path in (self.config_dir, self.data_dir, self.log_dir, self.cache_dir):
            path.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self

    @property
    def settings_file(self) -> Path:
        return self.config_dir / "settings.json"

    def database_file(self, account_slug: str) -> Path:
        """One database per account: `account_slug` is a non-secret, filesystem-safe account name."""
        return self.data_dir / f"{account_slug}.sqlite3"
