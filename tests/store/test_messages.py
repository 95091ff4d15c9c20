"""Messages: dedupe by id, forward-only status, reactions by (message, sender, kind), paging, reconcile."""

from __future__ import annotations

from blooio_desktop.core.models import Attachment, Direction, Reaction
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.store import Database, MessageRepository
from tests.store.factories import message

OUT = {"direction": Direction.OUTBOUND}


def test_the_same_message_twice_is_stored_once_and_reported_once(db: Database) -> None:
    with db.transaction() as conn:
        first = MessageRepository(conn).upsert(
            [message("m1", attachments=(Attachment("https://x/a.png", "a.png"),))]
        )
        again = MessageRepository(conn).upsert(
            [message("m1", attachments=(Attachment("https://x/a.png", "a.png"),))]
        )
    assert first.inserted_messages == (("+15550000001", "m1"),)
    assert again.empty
    stored = MessageRepository(db.read()).get("m1")
    assert stored is not None and stored.attachments == (Attachment("https://x/a.png", "a.png"),)
    assert MessageRepository(db.read()).count() == 1


def test_status_only_moves_forward_and_failed_is_terminal(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert([message("m1", status=MessageStatus.QUEUED, **OUT)])
        assert not repo.apply_status("m1", MessageStatus.DELIVERED, time_delivered=5).empty
        assert repo.apply_status("m1", MessageStatus.SENT).empty  # late, out of order
        assert repo.apply_status("m1", MessageStatus.DELIVERED).empty  # duplicate
        repo.upsert([message("m2", status=MessageStatus.QUEUED, **OUT)])
        repo.apply_status("m2", MessageStatus.FAILED, error="unreachable")
        repo.apply_status("m2", MessageStatus.SENT)
    reader = MessageRepository(db.read())
    m1, m2 = reader.get("m1"), reader.get("m2")
    assert m1 is not None and m1.status is MessageStatus.DELIVERED and m1.time_delivered == 5
    assert m2 is not None and m2.status is MessageStatus.FAILED and m2.error == "unreachable"


def test_a_status_for_an_unknown_message_changes_nothing(db: Database) -> None:
    with db.transaction() as conn:
        assert MessageRepository(conn).apply_status("ghost", MessageStatus.READ).empty


def test_reactions_add_and_remove_per_sender_and_kind_and_ignore_stale_reports(
    db: Database,
) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert([message("m1")])
        repo.apply_reaction("m1", None, Reaction("love", "+1555", True, 10))
        repo.apply_reaction("m1", None, Reaction("love", "+1666", True, 11))
        repo.apply_reaction("m1", None, Reaction("love", "+1555", False, 12))
        repo.apply_reaction("m1", None, Reaction("love", "+1555", True, 10))  # stale duplicate
        assert repo.apply_reaction("m1", None, Reaction("love", "+1666", True, 11)).empty
        repo.apply_reaction(
            "early", "+15550000001", Reaction("like", "+1555", True, 1)
        )  # before its message
        repo.upsert([message("early")])
    reader = MessageRepository(db.read())
    m1 = reader.get("m1")
    assert m1 is not None
    assert {(r.sender, r.reaction, r.is_added) for r in m1.reactions} == {
        ("+1555", "love", False),
        ("+1666", "love", True),
    }
    early = reader.get("early")
    assert early is not None and [r.reaction for r in early.reactions] == ["like"]


def test_pages_are_newest_first_and_continue_from_a_sort_key(db: Database) -> None:
    with db.transaction() as conn:
        MessageRepository(conn).upsert(
            [message(f"m{i:02d}", time_sent=1000 + i) for i in range(25)]
        )
        MessageRepository(conn).upsert([message("other", chat_id="+15550000002")])
    reader = MessageRepository(db.read())
    first = reader.page("+15550000001", limit=10)
    assert [m.message_id for m in first] == [f"m{i:02d}" for i in range(24, 14, -1)]
    key = reader.sort_key(first[-1].message_id)
    second = reader.page("+15550000001", before=key, limit=100)
    assert [m.message_id for m in second] == [f"m{i:02d}" for i in range(14, -1, -1)]


def test_pages_after_a_sort_key_are_oldest_first_and_skip_superseded_rows(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert([message(f"m{i:02d}", time_sent=1000 + i) for i in range(25)])
        repo.upsert([message("tie", time_sent=1010)])  # same time as m10: the id breaks the tie
        repo.upsert([message("other", chat_id="+15550000002", time_sent=1020)])
        repo.supersede("m12", "key-2")
    reader = MessageRepository(db.read())
    key = reader.sort_key("m10")
    assert key is not None
    after = reader.page_after("+15550000001", after=key, limit=4)
    assert [m.message_id for m in after] == ["tie", "m11", "m13", "m14"]
    rest = reader.page_after("+15550000001", after=(1014, "m14"), limit=100)
    assert [m.message_id for m in rest] == [f"m{i:02d}" for i in range(15, 25)]
    assert reader.page_after("+15550000001", after=(1024, "m24")) == []


def test_an_optimistic_message_takes_its_server_id_in_place(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert([message("older", time_sent=500), message("newer", time_sent=2000)])
        repo.upsert(
            [message("local:k1", text="hi", time_sent=1000, status=MessageStatus.PENDING, **OUT)],
            is_local=True,
        )
        changes = repo.rename(
            "local:k1",
            "srv1",
            message("srv1", text="hi", status=MessageStatus.QUEUED, time_sent=None, **OUT),
        )
    assert changes.removed_messages == (("+15550000001", "local:k1"),)
    assert changes.inserted_messages == (("+15550000001", "srv1"),)
    reader = MessageRepository(db.read())
    assert [m.message_id for m in reader.page("+15550000001")] == ["newer", "srv1", "older"]
    srv = reader.get("srv1")
    assert srv is not None and srv.status is MessageStatus.QUEUED and srv.text == "hi"
    assert reader.get("local:k1") is None


def test_a_webhook_that_beat_the_send_response_is_merged_not_duplicated(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert(
            [message("local:k1", text="hi", time_sent=1000, status=MessageStatus.PENDING, **OUT)],
            is_local=True,
        )
        repo.upsert(
            [message("srv1", text=None, time_sent=None, status=MessageStatus.DELIVERED, **OUT)]
        )
        repo.rename(
            "local:k1",
            "srv1",
            message("srv1", text=None, status=MessageStatus.QUEUED, time_sent=None, **OUT),
        )
    reader = MessageRepository(db.read())
    assert [m.message_id for m in reader.page("+15550000001")] == ["srv1"]
    srv = reader.get("srv1")
    assert srv is not None and srv.status is MessageStatus.DELIVERED and srv.text == "hi"
    assert reader.sort_key("srv1") == (1000, "srv1")


def test_a_superseded_message_is_hidden_and_later_reports_never_bring_it_back(
    db: Database,
) -> None:
    failed = message("srv1", status=MessageStatus.FAILED, text="lost in transit", **OUT)
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert([message("m0", time_sent=1), failed])
        hidden = repo.supersede("srv1", "key-2")
        # Late webhooks and a backfill still report it; none of that reaches a view.
        receipts = repo.apply_status("srv1", MessageStatus.FAILED, error="unreachable")
        backfill = repo.upsert([failed])
        tapback = repo.apply_reaction("srv1", None, Reaction("like", "+1555", True, 10))
    assert hidden.removed_messages == (("+15550000001", "srv1"),)
    assert receipts.empty and backfill.empty and tapback.empty
    reader = MessageRepository(db.read())
    assert [m.message_id for m in reader.page("+15550000001")] == ["m0"]
    assert [m.message_id for m in reader.page("+15550000001", before=(2, ""))] == ["m0"]
    assert reader.superseded_by("srv1") == "key-2"
    stored = reader.get("srv1")  # kept for the record: details, and no duplicate on backfill
    assert stored is not None and stored.error == "unreachable"
    assert reader.existing(["srv1"]) == {"srv1"}
