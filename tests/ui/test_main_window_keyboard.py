"""The keyboard on the real main window: every documented shortcut, pressed where the focus really
is, and Tab walks through the window and each dialog that reach every control, each with a name a
screen reader can say."""

from __future__ import annotations

from typing import Any

import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QWidget

from blooio_desktop.store import Database
from blooio_desktop.ui.composer.composer import Outgoing
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.dialogs.new_chat_dialog import NewChatDialog
from blooio_desktop.ui.main_window import MainWindow
from blooio_desktop.ui.quick_switcher import QuickSwitcher
from tests.ui.conftest import run_closing_windows, wait_for

ALICE, BOB, CAROL = "+15550000001", "+15550000002", "carol@example.com"
CTRL, SHIFT, ALT = (
    Qt.KeyboardModifier.ControlModifier,
    Qt.KeyboardModifier.ShiftModifier,
    Qt.KeyboardModifier.AltModifier,
)


def press(key: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """A key press where the focus is, as a user would type it (shortcuts included)."""
    focus = QApplication.focusWidget()
    assert focus is not None, "nothing has the keyboard focus"
    QTest.keyClick(focus, key, modifiers)


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def spoken_name(widget: QWidget) -> str:
    """What assistive technology announces: the accessible name, else what Qt derives (a button's
    text, a form label)."""
    if widget.accessibleName():
        return widget.accessibleName()
    interface = QAccessible.queryAccessibleInterface(widget)
    return interface.text(QAccessible.Text.Name) if interface is not None else ""


def tab_walk() -> list[QWidget]:
    """Press Tab until the focus comes back to where it started; every widget it visited."""
    start = focused()
    reached: list[QWidget] = []
    for _ in range(100):
        press(Qt.Key.Key_Tab)
        current = focused()
        assert current is not None
        reached.append(current)
        if current is start:
            return reached
    raise AssertionError("Tab never came back to where it started")


def assert_all_reached_and_named(root: QWidget, reached: list[QWidget]) -> None:
    controls = [
        w
        for w in root.findChildren(QWidget)
        if w.isVisible()
        and w.isEnabled()
        and w.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        and w.focusProxy() is None  # a tab widget passes the focus to its tab bar
    ]
    assert {id(w) for w in controls} == {id(w) for w in reached}
    assert [w for w in controls if not spoken_name(w)] == []


async def shown_window(context: AppContext, qtbot: Any) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.build_rest()  # as the app does once the window has painted
    window.activateWindow()
    await wait_for(lambda: QApplication.activeWindow() is window, what="an active window")
    return window


def test_every_documented_shortcut_works_from_where_the_focus_is(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = await shown_window(ui_context, qtbot)
        panel, sidebar = window.thread_panel, window.sidebar
        sidebar.focus_search()  # (focusing the chat list would open its first chat)

        # Ctrl+N: the new chat dialog; Esc closes it again.
        press(Qt.Key.Key_N, CTRL)
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, NewChatDialog)
        await wait_for(lambda: dialog.isAncestorOf(focused()), what="focus in the dialog")
        press(Qt.Key.Key_Escape)
        await wait_for(lambda: not dialog.isVisible(), what="the dialog to close")

        # Alt+Down / Alt+Up: next / previous chat, also from the composer that opening one focuses.
        window.activateWindow()  # what the window manager does when a dialog closes
        await wait_for(lambda: QApplication.activeWindow() is window, what="the window back")
        press(Qt.Key.Key_Down, ALT)
        assert panel.chat_id == BOB and focused() is panel.composer.edit
        press(Qt.Key.Key_Down, ALT)
        assert panel.chat_id == ALICE
        press(Qt.Key.Key_Up, ALT)
        assert panel.chat_id == BOB

        # Ctrl+K from the composer: the quick switcher; type, Enter opens the chat.
        press(Qt.Key.Key_K, CTRL)
        switcher = QApplication.activeModalWidget()
        assert isinstance(switcher, QuickSwitcher)
        await wait_for(lambda: focused() is switcher.search, what="focus in the switcher")
        QTest.keyClicks(switcher.search, "carol")
        press(Qt.Key.Key_Return)
        assert panel.chat_id == CAROL and not switcher.isVisible()

        # Ctrl+F from the composer focuses the search; Esc clears it and returns to the chats.
        await wait_for(lambda: focused() is panel.composer.edit, what="focus in the composer")
        press(Qt.Key.Key_F, CTRL)
        assert focused() is sidebar.search
        QTest.keyClicks(sidebar.search, "zebra")
        press(Qt.Key.Key_Return)
        assert window.chat_model.rowCount() == 0 and sidebar.hit_view.isVisible()
        assert focused() is sidebar.search and panel.chat_id == CAROL  # no other chat opened
        press(Qt.Key.Key_Escape)
        assert sidebar.search.text() == "" and window.chat_model.rowCount() == 3
        assert focused() is sidebar.chat_view

        # Enter and Ctrl+Enter send; Shift+Enter starts a new line.
        sent: list[Outgoing] = []
        panel.composer.send_requested.connect(sent.append)
        sidebar.select_chat(ALICE)
        assert focused() is panel.composer.edit
        QTest.keyClicks(panel.composer.edit, "hello")
        press(Qt.Key.Key_Return, SHIFT)
        QTest.keyClicks(panel.composer.edit, "world")
        assert sent == []
        press(Qt.Key.Key_Return)
        QTest.keyClicks(panel.composer.edit, "again")
        press(Qt.Key.Key_Return, CTRL)
        assert [(o.chat_id, o.text) for o in sent] == [(ALICE, "hello\nworld"), (ALICE, "again")]

        # Esc closes the reply preview first, then leaves the composer for the chat list.
        panel.composer.set_reply(panel.model.message(panel.model.rowCount() - 1))
        assert panel.composer.reply_label.isVisibleTo(window)
        press(Qt.Key.Key_Escape)
        assert not panel.composer.reply_label.isVisibleTo(window)
        assert focused() is panel.composer.edit
        press(Qt.Key.Key_Escape)
        assert focused() is sidebar.chat_view

        # In the messages, the keyboard starts at the newest and the Menu key opens its menu.
        panel.view.setFocus(Qt.FocusReason.TabFocusReason)
        newest = panel.model.rowCount() - 1
        assert panel.view.currentIndex().row() == newest
        press(Qt.Key.Key_Up)
        assert panel.view.currentIndex().row() == newest - 1
        press(Qt.Key.Key_Menu)
        menu = QApplication.activePopupWidget()
        assert isinstance(menu, QMenu)
        assert [a.text() for a in menu.actions() if a.text()][:3] == ["React", "Reply", "Copy"]
        menu.close()

    run_closing_windows(qloop, body)


def test_tab_reaches_every_control_and_each_has_a_name(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = await shown_window(ui_context, qtbot)
        panel = window.thread_panel
        window.sidebar.select_chat(ALICE)
        panel.composer.set_reply(panel.model.message(0))
        QTest.keyClicks(panel.composer.edit, "draft")  # enables Send
        window.outbox_dock.show()
        window.workbench_dock.show()

        assert focused() is panel.composer.edit
        reached = tab_walk()
        assert_all_reached_and_named(window, reached)
        for control in (
            window.banner.button,
            window.sidebar.search,
            window.sidebar.chat_view,
            panel.view,
            panel.composer.reply_close,
            panel.composer.attach,
            panel.composer.send,
            window.workbench_dock.table,
        ):
            assert control in reached, spoken_name(control)

    run_closing_windows(qloop, body)


@pytest.mark.parametrize(
    "opener",
    [
        "show_new_chat",
        "show_new_group",
        "show_rename",
        "show_account",
        "show_settings",
        "show_quick_switcher",
        "show_about",
    ],
)
def test_every_dialog_control_is_reachable_and_named(
    opener: str,
    demo_db: Database,
    ui_context: AppContext,
    qtbot: Any,
    qloop: qasync.QEventLoop,
) -> None:
    async def body() -> None:
        window = await shown_window(ui_context, qtbot)
        window.sidebar.select_chat(ALICE)  # Rename acts on the open chat
        getattr(window, opener)()
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        await wait_for(lambda: dialog.isAncestorOf(focused()), what="focus in the dialog")
        assert_all_reached_and_named(dialog, tab_walk())
        dialog.reject()

    run_closing_windows(qloop, body)
