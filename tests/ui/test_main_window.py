"""The main window over a real store: keyboard navigation, search, menus, and a restored layout."""

from __future__ import annotations

import asyncio
from typing import Any

import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox

from blooio_desktop.store import Database
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.main_window import MainWindow
from blooio_desktop.ui.thread.panel import ThreadPanel
from tests.ui.conftest import run_closing_windows, wait_for

ALICE, BOB, CAROL = "+15550000001", "+15550000002", "carol@example.com"


def _window(context: AppContext, qtbot: Any) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    window.build_rest()  # as the app does once the window has painted
    return window


def _shortcuts(window: MainWindow) -> dict[str, str]:
    found: dict[str, str] = {}
    for menu in (window.file_menu, window.edit_menu, window.view_menu, window.chat_menu):
        for action in menu.actions():
            if not action.shortcut().isEmpty():
                found[action.shortcut().toString(QKeySequence.SequenceFormat.PortableText)] = (
                    action.text()
                )
    return found


def test_a_dock_left_open_reopens_with_the_next_window(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        first = _window(ui_context, qtbot)
        first.workbench_dock.show()
        first.close()  # saves the layout
        again = MainWindow(ui_context)
        qtbot.addWidget(again)
        again.show()
        again.build_rest()
        assert again.workbench_dock.isVisible() and not again.outbox_dock.isVisible()
        again.close()

    run_closing_windows(qloop, body)


def test_menus_carry_the_documented_shortcuts(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        shortcuts = _shortcuts(window)
        for key, text in {
            "Ctrl+K": "Go to Chat…",
            "Ctrl+F": "Find…",
            "Ctrl+N": "New Chat…",
            "Alt+Down": "Next Chat",
            "Alt+Up": "Previous Chat",
            "Ctrl+Shift+W": "Webhook Workbench",
            "Ctrl+Shift+O": "Outbox",
        }.items():
            assert shortcuts.get(key) == text, key
        assert [
            m.title()
            for m in (
                window.file_menu,
                window.edit_menu,
                window.view_menu,
                window.chat_menu,
                window.developer_menu,
                window.help_menu,
            )
        ] == [
            "&File",
            "&Edit",
            "&View",
            "&Chat",
            "&Developer",
            "&Help",
        ]

    run_closing_windows(qloop, body)


def test_keyboard_moves_between_chats_and_opens_them(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        assert window.thread_panel.chat_id is None and window.thread_panel.empty.isVisibleTo(window)
        window.sidebar.step(1)
        assert window.thread_panel.chat_id == BOB
        window.sidebar.step(1)
        assert window.thread_panel.chat_id == ALICE
        assert window.thread_panel.header.title.text() == "Alice Martin"
        window.sidebar.step(-1)
        assert window.thread_panel.chat_id == BOB
        window.sidebar.step(-1)  # wraps around
        assert window.thread_panel.chat_id == CAROL

    run_closing_windows(qloop, body)


def test_a_chat_chosen_before_the_rest_of_the_window_is_built_opens_all_the_same(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = MainWindow(ui_context)
        qtbot.addWidget(window)
        window.show()
        assert window.conversation.findChild(ThreadPanel) is None  # the chat list alone, so far
        window.sidebar.step(1)  # a click that beats the after-paint build
        panel = window.conversation.findChild(ThreadPanel)
        assert panel is not None and panel.isVisible() and panel.chat_id == BOB
        assert window.focusWidget() is panel.composer.edit
        window.build_rest()  # the app's after-paint step keeps that panel
        assert window.conversation.findChildren(ThreadPanel) == [panel]
        assert window.outbox_dock is not None

    run_closing_windows(qloop, body)


def test_search_filters_chats_and_lists_message_hits(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        window.sidebar.focus_search()
        qtbot.keyClicks(window.sidebar.search, "zebra")
        qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Return)
        assert window.sidebar.hit_view.isVisible()
        assert window.hit_model.rowCount() == 1
        assert window.chat_model.rowCount() == 0  # no chat is named "zebra"
        hit = window.hit_model.index(0, 0)
        assert hit.data() == "carol@example.com: zebra crossing"
        window.sidebar.hit_view.clicked.emit(hit)
        assert window.thread_panel.chat_id == CAROL
        window.sidebar.search.clear()
        qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Return)
        assert not window.sidebar.hit_view.isVisible() and window.chat_model.rowCount() == 3

    run_closing_windows(qloop, body)


def test_search_hit_deep_in_history_loads_it_and_scrolls_to_it(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        window.resize(900, 600)
        window.open_message(ALICE, "0001-m0003")  # far older than the first page
        model = window.thread_panel.model
        row = model.row_of("0001-m0003")
        assert row >= 0 and model.rowCount() >= 118
        await asyncio.sleep(0.05)
        rect = window.thread_panel.view.visualRect(model.index(row, 0))
        assert window.thread_panel.view.viewport().rect().intersects(rect)

    run_closing_windows(qloop, body)


def test_splitter_and_geometry_survive_a_restart(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        window.splitter.setSizes([380, 700])
        window.close()
        assert ui_context.settings.value.window_geometry
        again = _window(ui_context, qtbot)
        assert abs(again.splitter.sizes()[0] - window.splitter.sizes()[0]) <= 1

    run_closing_windows(qloop, body)


def test_sandbox_banner_only_on_the_sandbox(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        assert window.banner.isVisible()
        ui_context.is_sandbox = False
        assert not _window(ui_context, qtbot).banner.isVisible()

    run_closing_windows(qloop, body)


def test_pinning_from_the_chat_menu_moves_the_chat_to_the_top(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        model = window.chat_model
        menu = window.sidebar.chat_menu(model.item(model.row_of(CAROL)))
        assert [a.text() for a in menu.actions()] == ["Pin", "Mark as Read", "Rename…"]
        menu.actions()[0].trigger()
        await wait_for(lambda: model.item(0).chat.id == CAROL, what="the pinned chat on top")
        assert model.item(0).chat.id == CAROL and model.item(0).pinned
        assert window.sidebar.chat_menu(model.item(0)).actions()[0].text() == "Unpin"

    run_closing_windows(qloop, body)


def test_escape_in_the_search_box_clears_it(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        window.activateWindow()
        window.sidebar.focus_search()
        qtbot.keyClicks(window.sidebar.search, "zebra")
        qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Return)
        assert window.chat_model.rowCount() == 0
        qtbot.keyClick(window.sidebar.search, Qt.Key.Key_Escape)
        assert window.sidebar.search.text() == "" and window.chat_model.rowCount() == 3

    run_closing_windows(qloop, body)


def test_drafts_survive_switching_chats(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        model = window.chat_model
        window.sidebar.select_chat(ALICE)
        qtbot.keyClicks(window.thread_panel.composer.edit, "unfinished thought")
        window.sidebar.select_chat(BOB)
        assert window.thread_panel.composer.edit.toPlainText() == ""
        await wait_for(lambda: model.item(model.row_of(ALICE)).draft, what="the saved draft")
        assert model.item(model.row_of(ALICE)).draft == "unfinished thought"
        window.sidebar.select_chat(ALICE)
        assert window.thread_panel.composer.edit.toPlainText() == "unfinished thought"

    run_closing_windows(qloop, body)


def test_an_sms_link_opens_its_chat_with_the_text_after_the_draft(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        composer = window.thread_panel.composer
        window.sidebar.select_chat(ALICE)
        qtbot.keyClicks(composer.edit, "Hello")
        window.sidebar.select_chat(BOB)
        model = window.chat_model
        await wait_for(lambda: model.item(model.row_of(ALICE)).draft, what="the saved draft")
        window.open_link("sms:+1%20555%20000%200001?body=Dinner%20at%208%3F")
        assert window.thread_panel.chat_id == ALICE
        assert composer.edit.toPlainText() == "Hello\nDinner at 8?"
        window.open_link("sms:+15550000001?body=Dinner%20at%208%3F")  # clicked again: not twice
        assert composer.edit.toPlainText() == "Hello\nDinner at 8?"

    run_closing_windows(qloop, body)


def test_a_link_to_someone_new_opens_an_empty_chat_ready_to_send(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        window.open_link("imessage:Dora@Example.com&body=Hi%20Dora")
        assert window.thread_panel.chat_id == "dora@example.com"
        assert window.thread_panel.composer.edit.toPlainText() == "Hi Dora"
        assert window.thread_panel.composer.send.isEnabled()

    run_closing_windows(qloop, body)


def test_a_bad_link_says_why_and_changes_nothing(
    demo_db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        window = _window(ui_context, qtbot)
        window.sidebar.select_chat(BOB)
        window.open_link("sms:5550000001")
        box = window.findChild(QMessageBox, "LinkError")
        assert box is not None and box.isVisible()
        assert "needs a country code" in box.text()
        assert window.thread_panel.chat_id == BOB
        box.close()

    run_closing_windows(qloop, body)
