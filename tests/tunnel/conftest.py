"""The stand-in ngrok agent, installed per test, so pyngrok's real process management is exercised."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.fake_ngrok import install_fake_ngrok


@pytest.fixture
def fake_ngrok(tmp_path: Path) -> Path:
    return install_fake_ngrok(tmp_path / "bin")
