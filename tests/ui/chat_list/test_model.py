"""The chat list model over a real store: order, filters, paging, and row-level live updates."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtCore import QModelIndex, Qt

from blooio_desktop.core.models import ChatListItem, Direction
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


class _CountingChats:
    """The real repository, counting how the model reads it."""

    def __init__(self, repo: ChatRepository) -> None:
        self._repo = repo
        self.listed = 0
        self.fetched: list[set[str]] = []

    def list_chat_ids(self, number: str | None = None, query: str | None = None) -> list[str]:
        self.listed += 1
        return self._repo.list_chat_ids(number, query)

    def get_items(
        self, chat_ids: Iterable[str], number: str | None = None, query: str | None = None
    ) -> dict[str, ChatListItem]:
        ids = set(chat_ids)
        self.fetched.append(ids)
        return self._repo.get_items(ids, number, query)


def test_a_change_rereads_only_the_touched_chat(demo_db: Database) -> None:
    source = _CountingChats(ChatRepository(demo_db.read()))
    model = ChatListModel(source)
    model.refresh()
    source.fetched.clear()
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([message(ALICE, 400, minutes=400, text="hi")])
    model.on_changes(changes)
    assert source.listed == 1  # the first load only: no re-read of the whole list
    assert source.fetched == [{ALICE}]
    assert _ids(model) == [ALICE, BOB, CAROL]


def test_pinning_moves_the_row_and_unpinning_moves_it_back(demo_db: Database) -> None:
    model = ChatListModel(ChatRepository(demo_db.read()))
    model.refresh()
    moves: list[tuple[int, int]] = []
    changed: list[int] = []
    model.rowsMoved.connect(lambda _p, start, _e, _d, row: moves.append((start, row)))
    model.dataChanged.connect(lambda top, _b, _r: changed.append(top.row()))
    with demo_db.transaction() as conn:
        pinned = ChatRepository(conn).set_pinned(CAROL, True)
    model.on_changes(pinned)
    assert _ids(model) == [CAROL, BOB, ALICE] and model.item(0).pinned
    with demo_db.transaction() as conn:
        unpinned = ChatRepository(conn).set_pinned(CAROL, False)
    model.on_changes(unpinned)
    assert _ids(model) == [BOB, ALICE, CAROL]
    assert moves == [(2, 0), (0, 3)]  # Qt's destination counts the moved row itself
    assert changed == [0, 2]


def test_a_draft_updates_one_row_in_place(demo_db: Database) -> None:
    model = ChatListModel(ChatRepository(demo_db.read()))
    model.refresh()
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _b, _r: changed.append(top.row()))
    model.rowsMoved.connect(lambda *_: changed.append(-1))
    with demo_db.transaction() as conn:
        changes = ChatRepository(conn).set_draft(ALICE, "typing…")
    model.on_changes(changes)
    assert changed == [1]
    assert snippet(model.item(1)) == "Draft: typing…"


def test_new_chats_are_inserted_in_order_and_filtered_ones_removed(demo_db: Database) -> None:
    dave = "+15550000004"
    with demo_db.transaction() as conn:
        ChatRepository(conn).set_from_number(BOB, "+15550002222")
        ChatRepository(conn).set_from_number(ALICE, "+15550002222")
    model = ChatListModel(ChatRepository(demo_db.read()))
    model.set_number("+15550002222")
    assert _ids(model) == [BOB, ALICE]
    with demo_db.transaction() as conn:
        changes = ChatRepository(conn).set_from_number(BOB, "+15550003333")
    model.on_changes(changes)
    assert _ids(model) == [ALICE]  # no longer this number's chat
    model.set_number(None)
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([message(dave, 1, minutes=150)])
    model.on_changes(changes)
    assert _ids(model) == [BOB, dave, ALICE, CAROL]


def test_rows_are_read_a_page_at_a_time(demo_db: Database, qtmodeltester: Any) -> None:
    source = _CountingChats(ChatRepository(demo_db.read()))
    model = ChatListModel(source, page_size=2)
    model.refresh()
    assert _ids(model) == [BOB, ALICE]
    assert source.fetched == [{BOB, ALICE}]  # Carol's row is not read until it is needed
    assert model.canFetchMore(QModelIndex())
    assert model.row_of(CAROL) == 2  # finding a chat loads the pages down to it
    assert not model.canFetchMore(QModelIndex())
    model.set_query("ar")  # Alice Martin, carol@…
    assert _ids(model) == [ALICE, CAROL] and not model.canFetchMore(QModelIndex())
    model.set_query("e")  # all three again: a new filter starts from the first page
    assert _ids(model) == [BOB, ALICE] and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)
    assert _ids(model) == [BOB, ALICE, CAROL]


def test_a_chat_that_falls_below_the_loaded_page_waits_for_fetch_more(demo_db: Database) -> None:
    model = ChatListModel(ChatRepository(demo_db.read()), page_size=2)
    model.refresh()
    with demo_db.transaction() as conn:
        ChatRepository(conn).set_pinned(BOB, True)
        ChatRepository(conn).set_pinned(CAROL, True)
    model.refresh()
    assert _ids(model) == [BOB, CAROL]  # Alice is not loaded yet
    with demo_db.transaction() as conn:
        changes = ChatRepository(conn).set_pinned(BOB, False)
    model.on_changes(changes)
    assert _ids(model) == [CAROL]  # Bob now sorts after every loaded row: not shown yet
    model.fetchMore(QModelIndex())
    assert _ids(model) == [CAROL, BOB, ALICE]
