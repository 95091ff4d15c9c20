"""Dialog fixtures: a context whose API client talks to the test sandbox."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.ui.context import AppContext
from tests.support.sandbox import SandboxHandle


@pytest.fixture
def sandbox_client(
    ui_context: AppContext, sandbox: SandboxHandle, qloop: qasync.QEventLoop
) -> Iterator[BlooioClient]:
    """`ui_context.client`, connected to the sandbox and closed on the loop after the test."""
    client = BlooioClient(sandbox.api_key, sandbox.base_url)
    ui_context.client = client
    try:
        yield client
    finally:
        ui_context.client = None
        qloop.run_until_complete(client.aclose())
