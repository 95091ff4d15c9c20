"""Ctrl+K quick switcher: fuzzy ranking, keyboard navigation, and the chosen chat id."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from blooio_desktop.core.models import Chat, ChatListItem, ContactRef
from blooio_desktop.store import Database
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.quick_switcher import ChatIdRole, QuickSwitcher, SwitcherModel, fuzzy_score


def _item(chat_id: str, name: str | None = None, group: str | None = None) -> ChatListItem:
    if group:
        return ChatListItem(Chat(id=chat_id, is_group=True, group_name=group))
    return ChatListItem(Chat(id=chat_id, contact=ContactRef(chat_id, name=name)))


ITEMS = [
    _item("+15550000001", "Joanna's laptop"),
    _item("+15550000002", "John Appleseed"),
    _item("grp_team", group="Team chat"),
    _item("+15550000003"),
]


def test_fuzzy_score_prefers_word_starts_and_rejects_non_subsequences() -> None:
    assert fuzzy_score("xyz", "John Appleseed") is None
    assert fuzzy_score("", "anything") == 0
    john = fuzzy_score("jo ap", "John Appleseed")
    joanna = fuzzy_score("jo ap", "Joanna's laptop")
    assert john is not None and joanna is not None and john > joanna


def test_model_filters_and_passes_qtmodeltester(qtmodeltester: Any) -> None:
    model = SwitcherModel()
    model.set_items(ITEMS)
    qtmodeltester.check(model)
    assert model.rowCount() == 4
    model.set_query("jo ap")
    titles = [
        model.index(r, 0).data(Qt.ItemDataRole.AccessibleTextRole) for r in range(model.rowCount())
    ]
    assert titles[0] == "John Appleseed"
    model.set_query("0003")  # numbers match too
    assert [model.index(r, 0).data(ChatIdRole) for r in range(model.rowCount())] == ["+15550000003"]
    qtmodeltester.check(model)


def _switcher(context: AppContext, qtbot: Any) -> QuickSwitcher:
    switcher = QuickSwitcher(context)
    qtbot.addWidget(switcher)
    switcher.open()
    return switcher


def test_typing_then_enter_opens_the_best_match_from_the_store(
    ui_context: AppContext, demo_db: Database, qtbot: Any
) -> None:
    switcher = _switcher(ui_context, qtbot)
    assert switcher.model.rowCount() == 3
    qtbot.keyClicks(switcher.search, "bo st")
    with qtbot.waitSignal(switcher.chat_chosen) as blocker:
        qtbot.keyClick(switcher.search, Qt.Key.Key_Return)
    assert blocker.args == ["+15550000002"]
    assert not switcher.isVisible()


def test_arrow_keys_move_the_selection_from_the_search_box(
    ui_context: AppContext, demo_db: Database, qtbot: Any
) -> None:
    switcher = _switcher(ui_context, qtbot)
    first = switcher.list.currentIndex().data(ChatIdRole)
    qtbot.keyClick(switcher.search, Qt.Key.Key_Down)
    second = switcher.list.currentIndex().data(ChatIdRole)
    qtbot.keyClick(switcher.search, Qt.Key.Key_Up)
    assert first != second and switcher.list.currentIndex().data(ChatIdRole) == first
    with qtbot.waitSignal(switcher.chat_chosen) as blocker:
        qtbot.keyClick(switcher.search, Qt.Key.Key_Return)
    assert blocker.args == [first]


def test_no_match_means_enter_does_nothing(
    ui_context: AppContext, demo_db: Database, qtbot: Any
) -> None:
    switcher = _switcher(ui_context, qtbot)
    chosen: list[str] = []
    switcher.chat_chosen.connect(chosen.append)
    qtbot.keyClicks(switcher.search, "zzzz")
    qtbot.keyClick(switcher.search, Qt.Key.Key_Return)
    assert switcher.model.rowCount() == 0 and chosen == [] and switcher.isVisible()
