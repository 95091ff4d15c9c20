"""The thread model over a real store: first page, history on demand, live rows, in-place swaps."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QModelIndex

from blooio_desktop.core.models import Direction
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.store import Database, MessageRepository
from blooio_desktop.ui.thread.model import MsgRole, ThreadModel
from tests.ui.conftest import message, seed

ALICE = "+15550000001"


def _model(db: Database) -> ThreadModel:
    model = ThreadModel(MessageRepository(db.read()), page_size=50)
    model.load(ALICE)
    return model


def test_first_page_is_the_newest_fifty_oldest_first(demo_db: Database, qtmodeltester: Any) -> None:
    model = _model(demo_db)
    assert model.rowCount() == 50
    assert model.message(0).text == "message 71"
    assert model.message(49).text.startswith("See https://")
    qtmodeltester.check(model)


def test_history_comes_only_when_the_view_asks_for_it(demo_db: Database) -> None:
    model = _model(demo_db)
    root = QModelIndex()
    assert not model.canFetchMore(root)  # Qt calls fetchMore whenever the LAST row is visible
    model.fetchMore(root)
    assert model.rowCount() == 50
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    assert model.request_older()
    assert inserted == [(0, 49)]
    assert model.message(0).text == "message 21"
    assert model.request_older()
    assert model.rowCount() == 120 and not model.has_older
    assert not model.request_older()


def test_grouping_roles_follow_sender_and_day(demo_db: Database) -> None:
    model = _model(demo_db)
    rows = [model.index(r, 0) for r in range(model.rowCount())]
    assert rows[0].data(MsgRole.SHOW_DAY) is True
    assert rows[1].data(MsgRole.SHOW_DAY) is False
    # 71 inbound, 72 outbound, 73 and 74 inbound (a minute apart), 75 outbound
    assert rows[1].data(MsgRole.GROUP_START) is True
    assert rows[3].data(MsgRole.GROUP_START) is False
    assert rows[2].data(MsgRole.GROUP_END) is False
    assert rows[3].data(MsgRole.GROUP_END) is True
    assert rows[3].data(MsgRole.SENDER_LABEL) is None  # 1:1 chats show no sender names


def test_live_insert_appends_one_row_and_refreshes_only_its_neighbour(demo_db: Database) -> None:
    model = _model(demo_db)
    resets: list[bool] = []
    changed: list[int] = []
    model.modelReset.connect(lambda: resets.append(True))
    model.dataChanged.connect(lambda top, _bottom, _roles: changed.append(top.row()))
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([message(ALICE, 121, text="live one")])
    model.on_changes(changes)
    assert model.rowCount() == 51 and model.message(50).text == "live one"
    assert changed == [49]
    assert not resets


def test_status_update_changes_one_row(demo_db: Database) -> None:
    model = _model(demo_db)
    target = model.message(46)  # message 117: outbound
    assert target.direction == Direction.OUTBOUND
    changed: list[int] = []
    model.dataChanged.connect(lambda top, _b, _r: changed.append(top.row()))
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert(
            [dataclasses.replace(target, status=MessageStatus.READ)]
        )
    model.on_changes(changes)
    assert changed == [46]
    assert model.message(46).status == MessageStatus.READ


def test_local_message_renamed_to_its_server_id_is_swapped_in_place(demo_db: Database) -> None:
    model = _model(demo_db)
    local = message(
        ALICE, 200, direction=Direction.OUTBOUND, text="optimistic", message_id="local:k1"
    )
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([local], is_local=True)
    model.on_changes(changes)
    assert model.message(50).message_id == "local:k1"
    removed: list[int] = []
    model.rowsRemoved.connect(lambda _p, first, _l: removed.append(first))
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).rename("local:k1", "srv-1")
    model.on_changes(changes)
    assert model.message(50).message_id == "srv-1"
    assert model.rowCount() == 51
    assert not removed


def test_load_until_finds_an_old_message(demo_db: Database) -> None:
    model = _model(demo_db)
    row = model.load_until(message(ALICE, 5).message_id)
    assert row >= 0 and model.message(row).text == "message 5"


def test_other_chats_changes_are_ignored(demo_db: Database) -> None:
    model = _model(demo_db)
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([message("+15550000002", 9)])
    model.on_changes(changes)
    assert model.rowCount() == 50


def test_group_runs_are_labelled_with_the_senders_name(db: Database) -> None:
    group = "grp_team"
    msgs = [
        message(group, 1, sender="+15550000007", text="first"),
        message(group, 2, sender="+15550000007", text="second, same run"),
        message(group, 3, sender="+15550000008", text="someone else"),
    ]
    seed(db, {group: ("Team", msgs)})
    names = {"+15550000007": "Dana"}
    model = ThreadModel(MessageRepository(db.read()), name_for=lambda h: names.get(h, h))
    model.load(group, is_group=True)
    labels = [model.index(r, 0).data(MsgRole.SENDER_LABEL) for r in range(3)]
    assert labels == ["Dana", None, "+15550000008"]


def test_back_at_the_newest_the_oldest_rows_are_forgotten_and_fetched_again(
    demo_db: Database, qtmodeltester: Any
) -> None:
    model = ThreadModel(MessageRepository(demo_db.read()), page_size=50, max_rows=60)
    model.load(ALICE)
    model.trim()
    assert model.rowCount() == 50  # within the cap: nothing to forget
    assert model.request_older() and model.rowCount() == 100
    model.trim()
    assert model.rowCount() == 60 and model.has_older
    assert model.message(0).text == "message 61" and model.message(59).text.startswith("See")
    assert model.index(0, 0).data(MsgRole.SHOW_DAY) is True
    assert model.request_older()  # scrolling up again brings them back, in order, once
    texts = [model.message(r).text for r in range(model.rowCount())]
    assert texts[:2] == ["message 11", "message 12"] and len(set(texts)) == len(texts) == 110
    qtmodeltester.check(model)


def _texts(model: ThreadModel) -> list[str]:
    return [model.message(r).text or "" for r in range(model.rowCount())]


def _window(demo_db: Database) -> ThreadModel:
    """Pages of 20, at most 40 rows + one page held: Alice's 120 messages are six pages."""
    model = ThreadModel(MessageRepository(demo_db.read()), page_size=20, max_rows=40)
    model.load(ALICE)
    return model


def test_sliding_up_forgets_the_newest_rows_beyond_the_window(
    demo_db: Database, qtmodeltester: Any
) -> None:
    model = _window(demo_db)
    removed: list[tuple[int, int]] = []
    model.rowsRemoved.connect(lambda _p, first, last: removed.append((first, last)))
    assert model.request_older() and model.request_older()
    assert model.rowCount() == 60 and not model.has_newer and not removed  # within the window
    assert model.request_older()
    assert removed == [(60, 79)] and model.has_newer and model.rowCount() == 60
    assert _texts(model)[0] == "message 41" and _texts(model)[-1] == "message 100"
    assert model.index(59, 0).data(MsgRole.GROUP_END) is True  # the new last row ends its run
    assert model.request_older() and model.request_older()
    assert _texts(model) == [f"message {n}" for n in range(1, 61)]
    assert not model.request_older() and not model.has_older
    qtmodeltester.check(model)


def test_sliding_back_down_fetches_the_newer_pages_and_forgets_the_oldest(
    demo_db: Database, qtmodeltester: Any
) -> None:
    model = _window(demo_db)
    while model.has_older:
        model.request_older()
    assert model.has_newer and _texts(model)[-1] == "message 60"
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _p, first, last: inserted.append((first, last)))
    assert model.request_newer()
    assert inserted == [(60, 79)] and model.rowCount() == 60 and model.has_older
    assert _texts(model) == [f"message {n}" for n in range(21, 81)]
    assert model.index(0, 0).data(MsgRole.SHOW_DAY) is True
    while model.request_newer():
        assert model.rowCount() <= 60
    assert not model.has_newer and _texts(model)[-1].startswith("See https://")
    assert _texts(model)[0] == "message 61" and len(set(_texts(model))) == 60
    qtmodeltester.check(model)


def test_a_live_message_past_a_window_far_up_is_announced_not_inserted(demo_db: Database) -> None:
    model = _window(demo_db)
    while not model.has_newer:
        model.request_older()
    rows = _texts(model)
    arrived: list[str] = []
    model.newer_arrived.connect(lambda m: arrived.append(m.text))
    with demo_db.transaction() as conn:
        changes = MessageRepository(conn).upsert([message(ALICE, 121, text="live one")])
    model.on_changes(changes)
    assert arrived == ["live one"] and _texts(model) == rows
    model.load_newest()
    assert not model.has_newer and _texts(model)[-1] == "live one" and model.rowCount() == 20


def test_a_search_jump_to_a_newer_message_than_the_window_finds_it(demo_db: Database) -> None:
    model = _window(demo_db)
    while model.has_older:
        model.request_older()
    row = model.load_until(message(ALICE, 115).message_id)
    assert row >= 0 and model.message(row).text == "message 115"
