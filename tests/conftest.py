"""Shared test set-up: offscreen Qt, a private app home per test, an in-memory keyring, the sandbox."""

from __future__ import annotations

import gc
import os
import sys

# Before any Qt import anywhere: a machine with no display must not abort the run.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.support.memory_keyring.MemoryKeyring")

from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

from tests.support.memory_keyring import MemoryKeyring
from tests.support.sandbox import SandboxHandle, start_sandbox_process


@pytest.fixture(autouse=True)
def app_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own config/data/log folders and no API key from the environment."""
    home = tmp_path / "home"
    monkeypatch.setenv("BLOOIO_DESKTOP_HOME", str(home))
    # Autostart entries and other XDG writes land in the test's folder, never the real ~/.config.
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    for var in ("BLOOIO_API_KEY", "BLOOIO_BASE_URL", "BLOOIO_WEBHOOK_SECRET", "NGROK_AUTHTOKEN"):
        monkeypatch.delenv(var, raising=False)
    return home


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)


QT_FIXTURES = frozenset({"qapp", "qtbot", "qloop", "qtmodeltester"})


@pytest.fixture(autouse=True)
def qt_garbage_on_main_thread(request: pytest.FixtureRequest) -> Iterator[None]:
    """As in the app (ui/main_thread_gc.py): while a test drives Qt, no automatic collection — it
    could run on a store-writer or executor thread and destroy Qt objects there, which crashes the
    process. Whatever such a test left behind is collected here, on the main thread."""
    drives_qt = not QT_FIXTURES.isdisjoint(request.fixturenames)
    was_enabled = gc.isenabled()
    if drives_qt:
        gc.disable()
    yield
    if drives_qt or "PySide6.QtCore" in sys.modules:
        gc.collect()
    if drives_qt and was_enabled:
        gc.enable()


@pytest.fixture(scope="session")
def sandbox_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SandboxHandle]:
    """One sandbox process for the session: real loopback HTTP, its own interpreter."""
    handle = start_sandbox_process(["--memory", "--no-seed", "--speed", "50"])
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def sandbox(sandbox_server: SandboxHandle) -> SandboxHandle:
    """The session sandbox, reset to empty with no faults and no webhooks before each test."""
    sandbox_server.reset(seed=False)
    return sandbox_server
