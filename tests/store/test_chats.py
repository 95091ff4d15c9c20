"""The chat list: pinned first then most recent, unread counts, last message, local settings kept."""

from __future__ import annotations

from blooio_desktop.core.models import Chat, ContactRef, Direction, LastMessage
from blooio_desktop.store import ChatRepository, Database, MessageRepository
from tests.store.factories import message

A, B, C = "+15550000001", "+15550000002", "grp_team"


def _seed(db: Database) -> None:
    with db.transaction() as conn:
        ChatRepository(conn).upsert(
            [
                Chat(A, contact=ContactRef(A, "ct_1", "Ada"), last_message_time=100),
                Chat(B, last_message_time=300),
                Chat(
                    C,
                    type="group",
                    is_group=True,
                    group_id=C,
                    group_name="Team",
                    last_message_time=200,
                ),
            ]
        )


def test_pinned_chats_come_first_then_the_most_recent(db: Database) -> None:
    _seed(db)
    with db.transaction() as conn:
        ChatRepository(conn).set_pinned(A, True)
    items = ChatRepository(db.read()).list_chat_items()
    assert [i.chat.id for i in items] == [A, B, C]
    assert items[0].pinned and items[0].chat.title == "Ada"


def test_a_new_message_moves_its_chat_up_and_becomes_the_snippet(db: Database) -> None:
    _seed(db)
    with db.transaction() as conn:
        MessageRepository(conn).upsert([message("m1", chat_id=C, text="lunch?", time_sent=400)])
    items = ChatRepository(db.read()).list_chat_items()
    assert items[0].chat.id == C
    assert items[0].chat.last_message == LastMessage("m1", "lunch?", Direction.INBOUND, 400)
    assert items[0].chat.last_message_time == 400


def test_unread_counts_inbound_messages_after_the_read_mark(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert([message(f"in{i}", time_sent=10 + i) for i in range(3)])
        repo.upsert([message("out", time_sent=20, direction=Direction.OUTBOUND)])
    chats = ChatRepository(db.read())
    item = chats.get_item(A)
    assert item is not None and item.unread_count == 3
    with db.transaction() as conn:
        changes = ChatRepository(conn).mark_read(A)
    assert changes.chats == {A}
    item = chats.get_item(A)
    assert item is not None and item.unread_count == 0


def test_the_unread_total_skips_muted_chats(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert([message(f"a{i}", time_sent=10 + i) for i in range(3)])
        repo.upsert([message(f"b{i}", chat_id=B, time_sent=10 + i) for i in range(2)])
    assert ChatRepository(db.read()).total_unread() == 5
    with db.transaction() as conn:
        ChatRepository(conn).set_muted(B, True)
    assert ChatRepository(db.read()).total_unread() == 3


def test_a_server_refresh_keeps_pins_drafts_and_the_sending_number(db: Database) -> None:
    _seed(db)
    with db.transaction() as conn:
        chats = ChatRepository(conn)
        chats.set_pinned(B, True)
        chats.set_draft(B, "half-written")
        chats.set_from_number(B, "+15559990000")
        chats.upsert([Chat(B, last_message_time=999)])
    item = ChatRepository(db.read()).get_item(B)
    assert item is not None
    assert (item.pinned, item.draft, item.from_number) == (True, "half-written", "+15559990000")


def test_filter_by_text_and_by_sending_number(db: Database) -> None:
    _seed(db)
    with db.transaction() as conn:
        ChatRepository(conn).set_from_number(B, "+15559990000")
        MessageRepository(conn).upsert([message("m1", chat_id=C, internal_id="+15559990000")])
    chats = ChatRepository(db.read())
    assert [i.chat.id for i in chats.list_chat_items(query="team")] == [C]
    assert [i.chat.id for i in chats.list_chat_items(query="ad")] == [A]
    assert {i.chat.id for i in chats.list_chat_items(number="+15559990000")} == {B, C}
    assert chats.list_chat_items(query="100%") == []


def test_a_superseded_message_is_not_the_chat_snippet(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert(
            [
                message("m1", chat_id=A, text="earlier", time_sent=100),
                message(
                    "m2", chat_id=A, text="failed", time_sent=200, direction=Direction.OUTBOUND
                ),
            ]
        )
        repo.supersede("m2", "key-2")
    item = ChatRepository(db.read()).get_item(A)
    assert item is not None and item.chat.last_message is not None
    assert item.chat.last_message.message_id == "m1"


def test_the_order_follows_the_newest_shown_message_through_supersede_and_delete(
    db: Database,
) -> None:
    _seed(db)  # by the server's times: B (300), C (200), A (100)
    chats = ChatRepository(db.read())
    with db.transaction() as conn:
        MessageRepository(conn).upsert([message("a1", chat_id=A, time_sent=250)])
    assert chats.list_chat_ids() == [B, A, C]
    with db.transaction() as conn:
        MessageRepository(conn).upsert(
            [message("a2", chat_id=A, time_sent=400, direction=Direction.OUTBOUND)]
        )
    assert chats.list_chat_ids() == [A, B, C]
    with db.transaction() as conn:  # the newest was a failed send, sent again: hidden
        MessageRepository(conn).supersede("a2", "key-a2")
    assert chats.list_chat_ids() == [B, A, C]
    with db.transaction() as conn:
        MessageRepository(conn).upsert([message("c1", chat_id=C, time_sent=500)])
        MessageRepository(conn).delete("c1")  # e.g. a discarded unsent message
    assert chats.list_chat_ids() == [i.chat.id for i in chats.list_chat_items()] == [B, A, C]


def test_ids_come_in_list_order_and_items_by_id_with_the_same_filters(db: Database) -> None:
    _seed(db)
    with db.transaction() as conn:
        ChatRepository(conn).set_pinned(A, True)
        ChatRepository(conn).set_from_number(B, "+15559990000")
    chats = ChatRepository(db.read())
    assert chats.list_chat_ids() == [i.chat.id for i in chats.list_chat_items()] == [A, B, C]
    assert chats.list_chat_ids(query="team") == [C]
    assert chats.list_chat_ids(number="+15559990000") == [B]
    items = chats.get_items([C, A, "+15550000404"])
    assert set(items) == {A, C}  # an unknown id is simply absent
    assert items[A] == chats.get_item(A) and items[C].chat.title == "Team"
    assert set(chats.get_items([A, B, C], number="+15559990000")) == {B}
    assert set(chats.get_items([A, B, C], query="ad")) == {A}
    many = chats.get_items([f"+1555{n:07d}" for n in range(1200)] + [B])
    assert set(many) == {A, B}  # more ids than one IN (…) takes
