"""The thread view keeps a bounded window of the history: forgotten once back at the newest, slid
(without moving the text on screen) while reading far up, and reloaded by the jump button."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint

from blooio_desktop.core.models import Direction
from blooio_desktop.store import Database, MessageRepository
from blooio_desktop.ui.thread.model import MsgRole, ThreadModel
from blooio_desktop.ui.thread.view import ThreadView
from tests.ui.conftest import message

ALICE = "+15550000001"


def test_scrolling_back_down_forgets_the_history_read_above(demo_db: Database, qtbot: Any) -> None:
    model = ThreadModel(MessageRepository(demo_db.read()), page_size=50, max_rows=60)
    view = ThreadView(model)
    qtbot.addWidget(view)
    view.resize(600, 400)
    model.load(ALICE)
    view.show()
    qtbot.waitExposed(view)

    def scrolled_to_top() -> bool:  # (opening a chat scrolls to the newest again, after layout)
        view.verticalScrollBar().setValue(0)
        return model.rowCount() > 50

    qtbot.waitUntil(scrolled_to_top, timeout=5000)  # the top: older pages come
    assert not view.at_bottom()
    view.scroll_to_newest()
    qtbot.waitUntil(lambda: model.rowCount() == 60, timeout=5000)
    assert model.has_older
    qtbot.waitUntil(view.at_bottom, timeout=5000)
    assert model.message(59).text.startswith("See https://")


def _window_view(demo_db: Database, qtbot: Any) -> tuple[ThreadView, ThreadModel]:
    """Pages of 20 and a window of at most 60 rows over Alice's 120 messages."""
    model = ThreadModel(MessageRepository(demo_db.read()), page_size=20, max_rows=40)
    view = ThreadView(model)
    qtbot.addWidget(view)
    view.resize(600, 400)
    model.load(ALICE)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(view.at_bottom, timeout=5000)
    return view, model


def _top_line(view: ThreadView) -> tuple[str, int]:
    index = view.indexAt(QPoint(view.viewport().width() // 2, 0))
    return index.data(MsgRole.MESSAGE_ID), view.visualRect(index).top()


def _slide(view: ThreadView, model: ThreadModel, qtbot: Any, to_top: bool) -> None:
    """Scroll to the window's top or bottom edge: a page comes, and the text on screen stays put."""
    bar = view.verticalScrollBar()

    def ends() -> tuple[str, str]:
        return model.message(0).message_id, model.message(model.rowCount() - 1).message_id

    before, seen = ends(), []

    def slid() -> bool:
        if ends() != before:
            return True
        edge = 0 if to_top else bar.maximum()
        if bar.value() != edge:  # (a pending scroll to the newest may still come after opening)
            bar.setValue(edge)
            seen.append(_top_line(view))
        return False

    qtbot.waitUntil(slid, timeout=5000)
    message_id, top = seen[-1]
    assert view.visualRect(model.index(model.row_of(message_id), 0)).top() == top
    assert model.rowCount() <= 60


def test_scrolling_up_and_back_down_slides_the_window_without_moving_the_text(
    demo_db: Database, qtbot: Any
) -> None:
    view, model = _window_view(demo_db, qtbot)
    while model.has_older:
        _slide(view, model, qtbot, to_top=True)
    assert model.has_newer and model.message(0).text == "message 1"
    assert not view.at_bottom()  # the bottom of a window far up is not the newest
    bar = view.verticalScrollBar()
    while model.has_newer:
        _slide(view, model, qtbot, to_top=False)
    assert model.message(model.rowCount() - 1).text.startswith("See https://")
    bar.setValue(bar.maximum())
    assert view.at_bottom()


def test_a_live_message_while_far_up_shows_the_jump_button_which_reloads_the_newest(
    demo_db: Database, qtbot: Any
) -> None:
    view, model = _window_view(demo_db, qtbot)
    while not model.has_newer:
        _slide(view, model, qtbot, to_top=True)
    rows = model.rowCount()
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([message(ALICE, 121, text="live one")])
    model.on_changes(changes)
    assert model.rowCount() == rows and view.unseen == 1
    assert view.jump_button.isVisible() and "1 new message" in view.jump_button.text()
    view.jump_button.click()
    assert model.message(model.rowCount() - 1).text == "live one" and not model.has_newer
    qtbot.waitUntil(view.at_bottom, timeout=5000)
    assert view.unseen == 0 and not view.jump_button.isVisible()


def test_our_own_send_while_far_up_brings_the_newest_back(demo_db: Database, qtbot: Any) -> None:
    view, model = _window_view(demo_db, qtbot)
    while not model.has_newer:
        _slide(view, model, qtbot, to_top=True)
    sent = message(ALICE, 121, direction=Direction.OUTBOUND, text="mine")
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([sent])
    model.on_changes(changes)
    assert not model.has_newer and model.message(model.rowCount() - 1).text == "mine"
    qtbot.waitUntil(view.at_bottom, timeout=5000)
    assert view.unseen == 0
