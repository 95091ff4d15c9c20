"""The thread view keeps only a bounded history once the reader is back at the newest messages."""

from __future__ import annotations

from typing import Any

from blooio_desktop.store import Database, MessageRepository
from blooio_desktop.ui.thread.model import ThreadModel
from blooio_desktop.ui.thread.view import ThreadView

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
