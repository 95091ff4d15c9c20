"""Fixtures of the reliability suite: the app's services on a sandbox (plain helpers: `truth.py`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.reliability.app_rig import AppRig
from tests.support.sandbox import SandboxHandle


@pytest.fixture
async def rig(sandbox: SandboxHandle, app_home: Path) -> AsyncIterator[AppRig]:
    """The app's services (no window) against a quiet sandbox: bot off, time 50x faster."""
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    rig = AppRig(sandbox, app_home)
    await rig.start()
    yield rig
    await rig.close()
