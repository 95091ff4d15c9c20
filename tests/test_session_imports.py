"""What the cold start may load before the window paints, and how (docs/benchmarks.md, "Cold start").

Importing the GUI composition root and opening an account's session must not load the network
stack's heavy parts or anything only a later click needs: each costs tens of milliseconds before
the cached chat list can appear. The Qt-free layers load before Qt, and the garbage collector stays
out of the import. A fresh interpreter per check, so nothing else has imported them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

# Built on first use, after the first paint (or only when the user opens them).
DEFERRED = (
    "httpx",  # the API client and the services' HTTP client: built on their first request
    "aiohttp",  # the API client's transport and the webhook listener: both start after the paint
    "keyring",  # the key came from the environment: the keyring is never asked
    "httpcore",  # the services' HTTP pools: built on their first request
    "blooio_desktop.api.aiohttp_transport",  # the API client's aiohttp session: likewise
    "blooio_desktop.sandbox",  # an account with a key never starts the sandbox
    "pyngrok",
    "blooio_desktop.ui.workbench",  # the docks: built after the first paint
    "blooio_desktop.ui.outbox",
    "blooio_desktop.ui.thread",  # the conversation panel and the tray: likewise
    "blooio_desktop.ui.composer",
    "blooio_desktop.ui.tray",
    "blooio_desktop.ui.dialogs.account_dialog",
    "blooio_desktop.ui.dialogs.settings_dialog",
)

_OPEN_SESSION = """
import asyncio, json, sys
from pathlib import Path
import blooio_desktop.app
from blooio_desktop.config.credentials import AccountConfig
from blooio_desktop.config.paths import AppPaths
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from blooio_desktop.services.bus import EventBus
from blooio_desktop.session import Session

async def main() -> None:
    paths = AppPaths.under(Path(sys.argv[1])).ensure()
    account = AccountConfig(api_key="bl_test_key", base_url="http://127.0.0.1:9/v2/api", source="env")
    session = await Session.open(
        paths=paths, settings=Settings(), secrets=SecretStore(), bus=EventBus(), account=account
    )
    loaded = sorted(sys.modules)
    await session.close()
    print(json.dumps(loaded))

asyncio.run(main())
"""


_IMPORT_APP = """
import gc, json, sys
from blooio_desktop.cli import import_app

import_app()
frozen = gc.get_freeze_count()
import_app()  # imported already: nothing more to do
print(json.dumps([list(sys.modules), gc.isenabled(), frozen, gc.get_freeze_count()]))
"""


def _last_json_line(script: str, *args: str) -> Any:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOOIO_")}
    result = subprocess.run(
        [sys.executable, "-c", script, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(result.stdout.splitlines()[-1])


def test_opening_a_session_leaves_the_network_stack_for_later(tmp_path: Path) -> None:
    loaded = _last_json_line(_OPEN_SESSION, str(tmp_path))
    early = [m for m in loaded if any(m == n or m.startswith(n + ".") for n in DEFERRED)]
    assert early == []


def test_the_app_loads_its_qt_free_layers_before_qt_with_the_collector_held_off() -> None:
    """Once PySide6 is in, it reads the source of every module imported after it (its
    `__feature__` check), and collecting during the import scans ~60k objects again and again."""
    order, enabled, frozen, frozen_again = _last_json_line(_IMPORT_APP)
    qt = order.index("PySide6")
    for layer in ("blooio_desktop.session", "blooio_desktop.services.messaging"):
        assert order.index(layer) < qt, layer
    assert enabled and frozen > 10_000 and frozen_again == frozen
