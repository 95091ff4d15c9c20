"""Tray: unread badge, one notification per fresh inbound message, none for the chat on screen,
click opens the chat, quit from the menu."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QWidget

from blooio_desktop.core.models import Chat, Contact, ContactRef, Direction, Message
from blooio_desktop.store import ChatRepository, ContactRepository, MessageRepository
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.tray import TrayController, snippet

ALICE = "+15550000001"
BOB = "+15550000002"


class FakeWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.current: str | None = None
        self.opened: list[str] = []

    def current_chat_id(self) -> str | None:
        return self.current

    def open_chat(self, chat_id: str) -> None:
        self.opened.append(chat_id)


def _receive(
    context: AppContext, chat_id: str, n: int, text: str = "hello", age_s: float = 0.0
) -> None:
    msg = Message(
        message_id=f"{chat_id}-{n}",
        chat_id=chat_id,
        direction=Direction.INBOUND,
        text=text,
        sender=chat_id,
        time_sent=int((time.time() - age_s) * 1000),
    )
    with context.db.transaction() as conn:
        ChatRepository(conn).upsert(
            [Chat(id=chat_id, contact=ContactRef(chat_id, name=f"Name {chat_id[-1]}"))]
        )
        changes = MessageRepository(conn).upsert([msg])
    context.bus.publish(changes)


Setup = tuple[TrayController, FakeWindow, list[tuple[str, str, str]]]


@pytest.fixture
def setup(ui_context: AppContext, qtbot: Any) -> Iterator[Setup]:
    """A tray over a stand-in window; `shown` collects (chat_id, title, body) of each notification."""
    window = FakeWindow()
    qtbot.addWidget(window)
    tray = TrayController(ui_context, window)
    shown: list[tuple[str, str, str]] = []
    tray.notified.connect(lambda *args: shown.append(args))
    yield tray, window, shown
    tray.close()  # as the app does before the store closes


def test_inbound_message_notifies_with_sender_and_snippet_and_counts_unread(
    ui_context: AppContext, qtbot: Any, setup: Setup
) -> None:
    tray, window, shown = setup
    with qtbot.waitSignal(tray.unread_changed, timeout=3000) as blocker:
        _receive(ui_context, ALICE, 1, "Dinner at 8?\nBring wine")
    assert shown == [(ALICE, "Name 1", "Dinner at 8? Bring wine")]
    assert blocker.args == [1] and tray.unread == 1
    assert "1 unread" in tray.tray.toolTip()
    tray.tray.messageClicked.emit()
    assert window.opened == [ALICE]


def test_no_notification_for_the_chat_on_screen(ui_context: AppContext, setup: Setup) -> None:
    _tray, window, shown = setup
    window.show()
    window.current = ALICE
    _receive(ui_context, ALICE, 1)
    _receive(ui_context, BOB, 1, "other chat")
    assert [s[0] for s in shown] == [BOB]


def test_old_messages_from_a_sync_and_disabled_notifications_stay_quiet(
    ui_context: AppContext, setup: Setup
) -> None:
    _tray, _window, shown = setup
    _receive(ui_context, ALICE, 1, age_s=3600)
    assert shown == []
    ui_context.settings.update(notifications=False)
    _receive(ui_context, BOB, 1)
    assert shown == []


def test_group_notifications_name_the_sender(ui_context: AppContext, setup: Setup) -> None:
    _tray, _window, shown = setup
    group = "grp_team1"
    msg = Message(
        message_id="g-1",
        chat_id=group,
        direction=Direction.INBOUND,
        text="hi all",
        sender=ALICE,
        time_sent=int(time.time() * 1000),
    )
    with ui_context.db.transaction() as conn:
        ChatRepository(conn).upsert(
            [Chat(id=group, is_group=True, group_id=group, group_name="Team")]
        )
        ContactRepository(conn).upsert([Contact(identifier=ALICE, name="Alice Martin")])
        changes = MessageRepository(conn).upsert([msg])
    ui_context.bus.publish(changes)
    assert shown == [(group, "Alice Martin · Team", "hi all")]


def test_a_backfill_burst_becomes_one_summary(ui_context: AppContext, setup: Setup) -> None:
    _tray, _window, shown = setup
    now = int(time.time() * 1000)
    msgs = [
        Message(f"b-{n}", BOB, Direction.INBOUND, text=f"n{n}", sender=BOB, time_sent=now)
        for n in range(5)
    ]
    with ui_context.db.transaction() as conn:
        ChatRepository(conn).upsert([Chat(id=BOB)])
        changes = MessageRepository(conn).upsert(msgs)
    ui_context.bus.publish(changes)
    assert shown == [(BOB, "Blooio Desktop", "5 new messages")]


def test_quit_from_the_tray_menu(qtbot: Any, setup: Setup) -> None:
    tray, _window, _shown = setup
    with qtbot.waitSignal(tray.quit_requested):
        tray.quit_action.trigger()


def test_snippet_shortens_and_describes_attachments() -> None:
    from blooio_desktop.core.models import Attachment

    long = Message("m", "c", Direction.INBOUND, text="x" * 500)
    assert len(snippet(long)) == 120 and snippet(long).endswith("…")
    pic = Message(
        "m", "c", Direction.INBOUND, attachments=(Attachment("https://x/p.jpg", name="p.jpg"),)
    )
    assert snippet(pic) == "📎 p.jpg"
