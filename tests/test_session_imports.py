"""What the cold start may load before the window paints (docs/benchmarks.md, "Cold start").

Importing the GUI composition root and opening an account's session must not load the network
stack's heavy parts or anything only a later click needs: each costs tens of milliseconds before
the cached chat list can appear. A fresh interpreter per check, so nothing else has imported them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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


def test_opening_a_session_leaves_the_network_stack_for_later(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOOIO_")}
    result = subprocess.run(
        [sys.executable, "-c", _OPEN_SESSION, str(tmp_path)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    loaded = json.loads(result.stdout.splitlines()[-1])
    early = [m for m in loaded if any(m == n or m.startswith(n + ".") for n in DEFERRED)]
    assert early == []
