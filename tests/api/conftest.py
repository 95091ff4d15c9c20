"""API client fixtures: a client on the real sandbox, with retry sleeps recorded instead of waited."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from blooio_desktop.api import BlooioClient, RetryPolicy
from tests.support.sandbox import SandboxHandle


@pytest.fixture
def sleeps() -> list[float]:
    """Every backoff delay the client asked for, in order."""
    return []


@pytest.fixture
def retry(sleeps: list[float]) -> RetryPolicy:
    async def record(delay: float) -> None:
        sleeps.append(delay)
        await asyncio.sleep(0)

    return RetryPolicy(sleep=record)


@pytest.fixture
async def client(sandbox: SandboxHandle, retry: RetryPolicy) -> AsyncIterator[BlooioClient]:
    sandbox.control("PUT", "world", {"bot": False})  # no auto-replies: tests count messages exactly
    async with BlooioClient(sandbox.api_key, sandbox.base_url, timeout=5.0, retry=retry) as api:
        yield api
