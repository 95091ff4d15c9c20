"""Shared test set-up: offscreen Qt, a private app home per test, an in-memory keyring, the sandbox."""

from __future__ import annotations

import os

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
