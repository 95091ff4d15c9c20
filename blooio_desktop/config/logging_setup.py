"""Logging for the app: a rotating, private log file in the platform log folder, secrets masked.

`configure_logging()` is called once by a composition root. Records go to
`<log_dir>/blooio-desktop.log` (1 MB × 5 files, mode 0600: logs name contacts) and warnings also to
stderr. Every handler carries a `SecretFilter`; register secrets on it as they become known.
"""

from __future__ import annotations

import io
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import IO

from blooio_desktop.config.paths import AppPaths
from blooio_desktop.core.errors import ConfigError
from blooio_desktop.core.redact import SecretFilter

LOG_FILE_NAME = "blooio-desktop.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# One line per HTTP request (with chat ids in the URL) drowns the app's own records: debug level only.
CHATTY_LOGGERS = ("httpx", "httpcore", "aiohttp.access")
# Marks the handlers this module installed, so a second call replaces them instead of doubling output.
_MARK = "_blooio_desktop_handler"


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files (the first and every rotated one) are readable by the user only."""

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        return open(fd, "a", encoding=self.encoding, errors=self.errors)


def log_file(paths: AppPaths) -> Path:
    return paths.log_dir / LOG_FILE_NAME


def parse_level(level: int | str) -> int:
    """`"debug"`, `"INFO"`, `20`… as a logging level; anything else is a ConfigError naming the choices."""
    if isinstance(level, int):
        return level
    name = level.strip().upper()
    if name not in LEVELS:
        raise ConfigError(f"unknown log level {level!r}: use one of {', '.join(LEVELS).lower()}")
    return int(logging.getLevelName(name))


def configure_logging(
    paths: AppPaths,
    level: int | str = logging.INFO,
    *,
    secret_filter: SecretFilter | None = None,
    stderr: IO[str] | None = None,
) -> SecretFilter:
    """Send the root logger to the rotating log file (and warnings to stderr); returns the filter
    that masks secrets in both, so callers can `add()` the API key once it is read."""
    numeric = parse_level(level)
    secrets = secret_filter or SecretFilter()
    paths.log_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(handler)
        handler.close()

    file_handler = PrivateRotatingFileHandler(
        log_file(paths), maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
    )
    file_handler.setLevel(numeric)
    console = logging.StreamHandler(stderr if stderr is not None else sys.stderr)
    console.setLevel(max(numeric, logging.WARNING))
    for handler in (file_handler, console):
        handler.setFormatter(logging.Formatter(FORMAT))
        handler.addFilter(secrets)
        setattr(handler, _MARK, True)
        root.addHandler(handler)
    root.setLevel(numeric)
    for name in CHATTY_LOGGERS:
        logging.getLogger(name).setLevel(
            numeric if numeric <= logging.DEBUG else max(numeric, logging.WARNING)
        )
    logging.captureWarnings(True)
    logging.getLogger(__name__).info(
        "logging to %s at level %s", log_file(paths), logging.getLevelName(numeric)
    )
    return secrets
