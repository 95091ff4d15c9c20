"""Shared UI fixtures: a qasync loop, a real SQLite store, an AppContext, and a seeded conversation.

Async UI tests follow design.md §4: `qloop.run_until_complete(body())`, and inside coroutines they
await futures resolved by signals (see `wait_for`) instead of qtbot.waitSignal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from blooio_desktop.config.paths import AppPaths
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from blooio_desktop.core.models import Chat, ContactRef, Direction, Message, Protocol, Reaction
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.services.bus import EventBus
from blooio_desktop.store import ChatRepository, Database, MessageRepository
from blooio_desktop.ui.bridge import BusBridge
from blooio_desktop.ui.context import AppContext, SettingsStore
from tests.support.waiting import wait_until

BASE_MS = 1_764_547_200_000  # 2025-12-01 00:00 UTC
UI_DIR = Path(__file__).parent
# The offscreen platform cannot resize, raise or grab for native windows, and says so: noise.
OFFSCREEN_NOISE = (
    "This plugin does not support propagateSizeHints",
    r"This plugin does not support raise\(\)",
    "This plugin does not support grabbing the keyboard",  # a popup menu opening
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if UI_DIR in item.path.parents:
            item.add_marker(pytest.mark.qt_log_ignore(*OFFSCREEN_NOISE))


@pytest.fixture
def qloop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    quits = qapp.quitOnLastWindowClosed()
    qapp.setQuitOnLastWindowClosed(False)  # as in the app: closing a window must not stop the loop
    try:
        yield loop
    finally:
        loop.run_until_complete(asyncio.sleep(0))
        asyncio.set_event_loop(None)
        loop.close()
        qapp.setQuitOnLastWindowClosed(quits)


wait_for = wait_until  # the UI tests' name for it: poll on the qasync loop, events keep flowing


def run_closing_windows(qloop: qasync.QEventLoop, body: Callable[[], Awaitable[None]]) -> None:
    """Run a test body on the qasync loop, then close its top-level windows while the loop still
    runs: closing saves drafts and layout through async slots, which need a running loop."""

    async def wrapped() -> None:
        try:
            await body()
        finally:
            for window in QApplication.topLevelWidgets():
                if window.isWindow() and window.isVisible():
                    window.close()
            await asyncio.sleep(0.05)

    qloop.run_until_complete(wrapped())


def drop_on(target: QWidget, mime: QMimeData) -> None:
    """Drag `mime` over `target` and drop it, as a browser or file manager would."""
    action, button, mods = (
        Qt.DropAction.CopyAction,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, QDragEnterEvent(QPoint(5, 5), action, mime, button, mods))
    QApplication.sendEvent(target, QDropEvent(QPointF(5, 5), action, mime, button, mods))


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database.open(tmp_path / "ui.sqlite3")
    try:
        yield database
    finally:
        database.close()


@pytest.fixture
def ui_context(db: Database, app_home: Path, qapp: QApplication) -> Iterator[AppContext]:
    """A context over a real store with no services (each test adds the ones it needs)."""
    paths = AppPaths.under(app_home).ensure()
    bus = EventBus()
    bridge = BusBridge(bus)
    context = AppContext(
        paths=paths,
        settings=SettingsStore(Settings(), paths.settings_file),
        secrets=SecretStore(),
        bus=bus,
        db=db,
        account_label="Tests",
        is_sandbox=True,
        bridge=bridge,
    )
    yield context
    bridge.close()


def message(
    chat_id: str,
    n: int,
    *,
    direction: Direction = Direction.INBOUND,
    text: str | None = None,
    minutes: int | None = None,
    **fields: object,
) -> Message:
    """Message number `n` of a chat, `minutes` after BASE_MS (default: n)."""
    values: dict[str, object] = {
        "status": MessageStatus.DELIVERED
        if direction == Direction.OUTBOUND
        else MessageStatus.RECEIVED,
        "protocol": Protocol.IMESSAGE,
        **fields,
    }
    values.setdefault("message_id", f"{chat_id[-4:]}-m{n:04d}")
    return Message(
        chat_id=chat_id,
        direction=direction,
        text=text if text is not None else f"message {n}",
        time_sent=BASE_MS + (n if minutes is None else minutes) * 60_000,
        **values,  # type: ignore[arg-type]
    )


def seed(db: Database, chats: dict[str, tuple[str | None, list[Message]]]) -> None:
    """Store chats (id → (name, messages)) through the real repositories."""
    with db.transaction() as conn:
        ChatRepository(conn).upsert(
            Chat(id=cid, contact=ContactRef(identifier=cid, name=name))
            for cid, (name, _) in chats.items()
        )
        MessageRepository(conn).upsert(m for _, msgs in chats.values() for m in msgs)


@pytest.fixture
def demo_db(db: Database) -> Database:
    """Three chats; Alice has 120 messages (more than two pages), one reaction and a link."""
    alice = "+15550000001"
    alice_msgs = [
        message(alice, n, direction=Direction.OUTBOUND if n % 3 == 0 else Direction.INBOUND)
        for n in range(1, 120)
    ]
    alice_msgs.append(
        message(
            alice,
            120,
            text="See https://example.com/plan.pdf please",
            reactions=(Reaction("love", sender=alice),),
        )
    )
    seed(
        db,
        {
            alice: ("Alice Martin", alice_msgs),
            "+15550000002": ("Bob Stone", [message("+15550000002", 1, minutes=200)]),
            "carol@example.com": (
                None,
                [message("carol@example.com", 1, minutes=100, text="zebra crossing")],
            ),
        },
    )
    return db
