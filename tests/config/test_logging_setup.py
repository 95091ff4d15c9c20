"""The app log: a private rotating file in the log folder, warnings on stderr, secrets masked."""

from __future__ import annotations

import io
import logging
import stat
from collections.abc import Iterator

import pytest

from blooio_desktop.config import logging_setup
from blooio_desktop.config.logging_setup import configure_logging, log_file, parse_level
from blooio_desktop.config.paths import AppPaths
from blooio_desktop.core.errors import ConfigError


@pytest.fixture(autouse=True)
def restore_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    chatty = {name: logging.getLogger(name).level for name in logging_setup.CHATTY_LOGGERS}
    yield
    for name, chatty_level in chatty.items():
        logging.getLogger(name).setLevel(chatty_level)
    for handler in root.handlers:
        if handler not in handlers:
            root.removeHandler(handler)
            handler.close()
    root.setLevel(level)
    logging.captureWarnings(False)


@pytest.fixture
def paths() -> AppPaths:
    return AppPaths.default()


def test_records_go_to_a_private_file_in_the_log_folder(paths: AppPaths) -> None:
    configure_logging(paths, "info", stderr=io.StringIO())
    logging.getLogger("blooio_desktop.test").info("chat %s opened", "chat_1")
    text = log_file(paths).read_text()
    assert "INFO    blooio_desktop.test: chat chat_1 opened" in text
    assert log_file(paths).parent == paths.log_dir
    assert stat.S_IMODE(log_file(paths).stat().st_mode) == 0o600


def test_registered_and_credential_shaped_secrets_never_reach_the_file_or_stderr(
    paths: AppPaths,
) -> None:
    stderr = io.StringIO()
    secrets = configure_logging(paths, "debug", stderr=stderr)
    secrets.add("s3cr3t-api-key-value")
    log = logging.getLogger("blooio_desktop.test")
    log.warning("request failed with key %s", "s3cr3t-api-key-value")
    log.warning("header Authorization: Bearer abc.def.ghi")
    written = log_file(paths).read_text() + stderr.getvalue()
    assert "s3cr3t-api-key-value" not in written
    assert "abc.def.ghi" not in written
    assert written.count("***") == 4  # two records, in the file and on stderr


def test_only_warnings_and_worse_reach_stderr(paths: AppPaths) -> None:
    stderr = io.StringIO()
    configure_logging(paths, "debug", stderr=stderr)
    logging.getLogger("x").info("quiet detail")
    logging.getLogger("x").error("loud problem")
    assert "loud problem" in stderr.getvalue()
    assert "quiet detail" not in stderr.getvalue()
    assert "quiet detail" in log_file(paths).read_text()


def test_the_file_rotates_and_keeps_five_old_files(
    paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(logging_setup, "MAX_BYTES", 2_000)
    configure_logging(paths, "info", stderr=io.StringIO())
    log = logging.getLogger("blooio_desktop.test")
    for i in range(400):
        log.info("line %04d %s", i, "x" * 40)
    names = sorted(p.name for p in paths.log_dir.iterdir())
    assert names == ["blooio-desktop.log", *(f"blooio-desktop.log.{n}" for n in range(1, 6))]
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in paths.log_dir.iterdir())
    assert "line 0399" in log_file(paths).read_text()


def test_configuring_twice_does_not_double_every_line(paths: AppPaths) -> None:
    configure_logging(paths, "info", stderr=io.StringIO())
    configure_logging(paths, "info", stderr=io.StringIO())
    logging.getLogger("x").info("once please")
    assert log_file(paths).read_text().count("once please") == 1


def test_levels_by_name_or_number_and_a_clear_error_otherwise() -> None:
    assert parse_level("debug") == logging.DEBUG
    assert parse_level(" Warning ") == logging.WARNING
    assert parse_level(15) == 15
    with pytest.raises(ConfigError, match="unknown log level 'loud': use one of debug, info"):
        parse_level("loud")


def test_per_request_http_lines_are_kept_for_debug_level(paths: AppPaths) -> None:
    configure_logging(paths, "info", stderr=io.StringIO())
    logging.getLogger("httpx").info(
        'HTTP Request: GET http://127.0.0.1/v2/api/chats "HTTP/1.1 200 OK"'
    )
    assert "HTTP Request" not in log_file(paths).read_text()
    configure_logging(paths, "debug", stderr=io.StringIO())
    logging.getLogger("httpx").info(
        'HTTP Request: GET http://127.0.0.1/v2/api/chats "HTTP/1.1 200 OK"'
    )
    assert "HTTP Request" in log_file(paths).read_text()
