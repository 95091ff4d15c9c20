"""The chat list model over a real store: order, filters, and row-level live updates."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from blooio_desktop.core.models import Direction
from blooio_desktop.store import ChatRepository, Database, MessageRepository
from blooio_desktop.ui.chat_list.model import ChatListModel, ChatRole, snippet
from tests.ui.conftest import message

ALICE, BOB, CAROL = "+15550000001", "+15550000002", "carol@example.com"


def _ids(model: ChatListModel) -> list[str]:
    return [model.index(r, 0).data(ChatRole.CHAT_ID) for r in range(model.rowCount())]


def test_rows_are_recent_first_and_pass_the_model_tester(
    demo_db: Database, qtmodeltester: Any
) -> None:
    model = ChatListModel(ChatRepository(demo_db.read()))
    model.refresh()
    assert _ids(model) == [BOB, ALICE, CAROL]  # Bob's message is newest (minute 200)
    first = model.index(0, 0)
    assert first.data() == "Bob Stone"
    assert "Bob Stone" in first.data(Qt.ItemDataRole.AccessibleTextRole)
    assert model.index(1, 0).data(ChatRole.ITEM).chat.title == "Alice Martin"
    qtmodeltester.check(model)


def test_a_new_message_moves_its_chat_up_without_a_reset(demo_db: Database, qtbot: Any) -> None:
    model = ChatListModel(ChatRepository(demo_db.read()))
    model.refresh()
    resets: list[bool] = []
    moves: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.rowsMoved.connect(lambda _p, start, _e, _d, row: moves.append((start, row)))
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([message(CAROL, 2, minutes=500, text="newest")])
    model.on_changes(changes)
    assert _ids(model) == [CAROL, BOB, ALICE]
    assert moves == [(2, 0)]
    assert not resets
    assert snippet(model.item(0)) == "newest"


def test_outbound_snippets_drafts_and_pins(demo_db: Database) -> None:
    with demo_db.transaction() as conn:
        MessageRepository(conn).upsert(
            [message(ALICE, 300, direction=Direction.OUTBOUND, text="on my way")]
        )
        ChatRepository(conn).set_pinned(CAROL, True)
        ChatRepository(conn).set_draft(BOB, "half a thought")
    model = ChatListModel(ChatRepository(demo_db.read()))
    model.refresh()
    assert _ids(model)[0] == CAROL  # pinned first
    assert snippet(model.item(model.row_of(ALICE))) == "You: on my way"
    assert snippet(model.item(model.row_of(BOB))) == "Draft: half a thought"
    assert "pinned" in model.index(0, 0).data(Qt.ItemDataRole.AccessibleTextRole)


def test_filter_as_you_type(demo_db: Database) -> None:
    model = ChatListModel(ChatRepository(demo_db.read()))
    model.refresh()
    model.set_query("ali")
    assert _ids(model) == [ALICE]
    model.set_query("")
    assert len(_ids(model)) == 3


def test_filter_by_sending_number(demo_db: Database) -> None:
    with demo_db.transaction() as conn:
        ChatRepository(conn).set_from_number(BOB, "+15550002222")
    model = ChatListModel(ChatRepository(demo_db.read()))
    model.set_number("+15550002222")
    assert _ids(model) == [BOB]
    model.set_number(None)
    assert len(_ids(model)) == 3
