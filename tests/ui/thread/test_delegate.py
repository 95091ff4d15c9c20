"""Bubble sizes are measured once per row: a page of history measures only the new rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QApplication

from blooio_desktop.store import Database, MessageRepository
from blooio_desktop.ui.thread.layout import LayoutEngine
from blooio_desktop.ui.thread.model import MsgRole, ThreadModel
from blooio_desktop.ui.thread.view import ThreadView

ALICE = "+15550000001"


def _measured(view: ThreadView) -> list[str]:
    """Message ids the delegate lays out from now on."""
    engine = view.bubbles.engine
    laid_out: list[str] = []
    original = engine.layout

    def counting(*args: Any, **kwargs: Any) -> Any:
        laid_out.append(args[1].message_id)
        return original(*args, **kwargs)

    engine.layout = counting  # type: ignore[method-assign]
    return laid_out


def _laid_out_thread(demo_db: Database, qtbot: Any) -> tuple[ThreadView, ThreadModel]:
    """Alice's thread in a view that is laid out but not shown: every layout is a measurement."""
    model = ThreadModel(MessageRepository(demo_db.read()), page_size=50)
    view = ThreadView(model)
    qtbot.addWidget(view)
    view.resize(600, 400)
    model.load(ALICE)
    view.doItemsLayout()
    return view, model


def test_a_page_of_history_measures_only_the_new_rows(demo_db: Database, qtbot: Any) -> None:
    view, model = _laid_out_thread(demo_db, qtbot)
    laid_out = _measured(view)
    assert model.request_older()
    view.doItemsLayout()
    measured = set(laid_out)
    new_rows = {model.message(r).message_id for r in range(50)}
    shown = {model.index(r, 0).data(MsgRole.MESSAGE_ID) for r in range(model.rowCount())}
    # the new rows, and the old first row (it no longer starts the day); nothing else re-measured
    assert new_rows <= measured <= new_rows | {model.message(50).message_id}
    assert measured <= shown


def test_a_resize_measures_every_row_again(demo_db: Database, qtbot: Any) -> None:
    view, model = _laid_out_thread(demo_db, qtbot)
    laid_out = _measured(view)
    view.resize(420, 400)
    view.doItemsLayout()
    assert len(set(laid_out)) == model.rowCount()


def test_laid_out_documents_are_kept_for_the_most_recent_rows_only(
    demo_db: Database, qapp: QApplication
) -> None:
    engine = LayoutEngine(max_docs=3)
    messages = MessageRepository(demo_db.read()).page(ALICE, limit=5)
    font = qapp.font()
    docs = [engine.document(m, font, 300, "#0a84ff") for m in messages[:3]]
    assert engine.document(messages[0], font, 300, "#0a84ff") is docs[0]  # kept, now most recent
    engine.document(messages[3], font, 300, "#0a84ff")  # evicts the least recent: messages[1]
    assert engine.document(messages[0], font, 300, "#0a84ff") is docs[0]
    assert engine.document(messages[1], font, 300, "#0a84ff") is not docs[1]
