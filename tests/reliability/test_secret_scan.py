"""After a full run of the app, no secret is anywhere it writes or shows.

The app runs against a sandbox as a real account: API key in the keyring, an ngrok authtoken saved,
an external tunnel URL so it registers a webhook and keeps its signing secret. It syncs, sends,
receives, records deliveries, exports them, and its windows and the account/settings dialogs are
grabbed as screenshots. Then every byte under the app's home (settings, SQLite + WAL, logs,
exports, screenshots), the console output and every text on screen is searched for each secret —
raw, URL-encoded, base64 and hex — and must not contain any.
"""

from __future__ import annotations

import asyncio
import base64
import io
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import qasync
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from blooio_desktop.app import DesktopApp, GuiOptions
from blooio_desktop.config.logging_setup import configure_logging
from blooio_desktop.config.paths import AppPaths
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from tests.support.memory_keyring import MemoryKeyring
from tests.support.sandbox import SandboxHandle
from tests.ui.conftest import OFFSCREEN_NOISE, qloop, wait_for

__all__ = ["qloop"]  # the qasync loop fixture, shared with the UI tests
NGROK_TOKEN = "2kFakeNgrokAuthtoken_9f8e7d6c5b4a3_notreal"
pytestmark = pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE)


@pytest.fixture
def console() -> Iterator[io.StringIO]:
    """The app's logging at DEBUG into its log folder, console output captured; removed afterwards."""
    stream = io.StringIO()
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    configure_logging(AppPaths.default().ensure(), "DEBUG", stderr=stream)
    yield stream
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def forms(secret: str) -> list[bytes]:
    raw = secret.encode()
    return [raw, quote(secret, safe="").encode(), base64.b64encode(raw), raw.hex().encode(), secret.encode("utf-16-le")]


def hits_in_files(root: Path, secrets: list[str]) -> list[str]:
    found = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        data = path.read_bytes()
        found += [f"{path.relative_to(root)}: {s[:6]}…" for s in secrets if any(f in data for f in forms(s))]
    return found


def screen_texts() -> list[str]:
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        for widget in [top, *top.findChildren(QWidget)]:
            texts += [widget.windowTitle(), widget.toolTip(), widget.accessibleName()]
            if isinstance(widget, QLineEdit | QLabel | QAbstractButton):
                texts.append(widget.text())
            if isinstance(widget, QLineEdit):
                texts.append(widget.displayText())
            if isinstance(widget, QPlainTextEdit | QTextEdit):
                texts.append(widget.toPlainText())
    return texts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_no_secret_is_written_or_shown_after_a_full_run(
    qapp: QApplication, qloop: qasync.QEventLoop, sandbox: SandboxHandle, app_home: Path,
    memory_keyring: MemoryKeyring, console: io.StringIO,
) -> None:
    paths = AppPaths.default().ensure()
    port = free_port()
    Settings().replace(
        base_url=sandbox.base_url, tunnel_provider="external", external_url=f"http://127.0.0.1:{port}",
        listener_port=port,
    ).save(paths.settings_file)
    secrets = SecretStore()
    secrets.set_api_key(sandbox.api_key)
    secrets.set_ngrok_authtoken(NGROK_TOKEN)
    sandbox.control("PUT", "world", {"bot": True, "speed": 50})
    seen_secrets: set[str] = set()
    shown: list[str] = []

    async def body() -> None:
        app = DesktopApp(qapp, GuiOptions(), paths)
        run = asyncio.ensure_future(app.run())
        try:
            await wait_for(lambda: app.context is not None and app.context.connectivity.state.phase == "verified", 30, "webhook")
            assert app.context is not None and app.window is not None
            await app.context.messaging.send("+15557770001", "hello from the secret scan")
            sandbox.control("POST", "inbound", {"from": "+15557770002", "text": "hi there"})
            db = app.context.db
            await wait_for(lambda: db.read().execute("SELECT count(*) FROM messages WHERE direction='inbound'").fetchone()[0] >= 2, 30, "replies")
            seen_secrets.update(memory_keyring.store.values())  # the webhook's signing secret is here now
            exports = paths.data_dir / "exports"
            exports.mkdir()
            assert await app.context.inspector.export_jsonl(exports / "deliveries.jsonl") > 0
            shots = paths.cache_dir / "screenshots"
            shots.mkdir(parents=True)
            app.window.grab().save(str(shots / "main.png"))
            app.window.show_account()
            app.window.show_settings()
            await asyncio.sleep(0.2)
            for n, top in enumerate(w for w in QApplication.topLevelWidgets() if w.isVisible()):
                top.grab().save(str(shots / f"window-{n}.png"))
            shown.extend(screen_texts())
        finally:
            app.quit()
            assert await asyncio.wait_for(run, 30) == 0

    qloop.run_until_complete(body())
    seen_secrets.update(memory_keyring.store.values())
    everything = sorted(s for s in seen_secrets if len(s) >= 12)
    assert sandbox.api_key in everything and NGROK_TOKEN in everything
    assert any(s.startswith("whsec_") for s in everything), "no webhook signing secret was ever stored"
    assert (paths.log_dir / "blooio-desktop.log").stat().st_size > 0
    assert hits_in_files(app_home, everything) == []
    assert [s[:6] for s in everything if any(s in text for text in [console.getvalue(), *shown])] == []
