"""The outbox table: due items are claimed once, crashes requeue in-flight items with the same key."""

from __future__ import annotations

from blooio_desktop.core.models import Attachment, OutboxItem, OutboxState
from blooio_desktop.store import Database, OutboxRepository


def _item(key: str, created: float, chat: str | None = None) -> OutboxItem:
    return OutboxItem(
        idempotency_key=key,
        chat_id=chat or f"chat-of-{key}",
        text=f"hello {key}",
        created_at=created,
        local_message_id=f"local:{key}",
        attachments=(Attachment("https://x/y.pdf", "y.pdf"),),
    )


def test_items_round_trip_and_are_claimed_oldest_first_once(db: Database) -> None:
    with db.transaction() as conn:
        repo = OutboxRepository(conn)
        for i in range(5):
            repo.add(_item(f"k{i}", created=i))
        claimed = repo.claim_due(now=100, limit=3)
        again = repo.claim_due(now=100, limit=10)
    assert [i.idempotency_key for i in claimed] == ["k0", "k1", "k2"]
    assert [i.idempotency_key for i in again] == ["k3", "k4"]
    assert all(i.state is OutboxState.SENDING and i.attempts == 1 for i in claimed)
    assert claimed[0].attachments == (Attachment("https://x/y.pdf", "y.pdf"),)


def test_a_chats_messages_go_out_one_at_a_time_in_the_order_written(db: Database) -> None:
    with db.transaction() as conn:
        repo = OutboxRepository(conn)
        for key, created, chat in (("a1", 1, "A"), ("a2", 2, "A"), ("b1", 3, "B"), ("a3", 4, "A")):
            repo.add(_item(key, created, chat))
        assert [i.idempotency_key for i in repo.claim_due(now=10, limit=5)] == ["a1", "b1"]
        assert repo.claim_due(now=10, limit=5) == []  # a2 waits while a1 is in flight
        repo.mark_retry("a1", "HTTP 503", next_attempt_at=50)
        assert repo.claim_due(now=10, limit=5) == []  # and while a1 waits for its retry
        repo.mark_sent("b1", "srv-b1")
        assert [i.idempotency_key for i in repo.claim_due(now=50, limit=5)] == ["a1"]
        repo.mark_failed("a1", "Invalid recipient")  # a refused message does not hold the chat
        assert [i.idempotency_key for i in repo.claim_due(now=50, limit=5)] == ["a2"]


def test_retry_later_items_wait_until_due_and_in_flight_items_survive_a_crash(db: Database) -> None:
    with db.transaction() as conn:
        repo = OutboxRepository(conn)
        repo.add(_item("a", 1))
        repo.add(_item("b", 2))
        repo.claim_due(now=10, limit=2)
        repo.mark_retry("a", "HTTP 503", next_attempt_at=50)
    reader = OutboxRepository(db.read())
    assert reader.next_due_at() == 50
    with db.transaction() as conn:
        repo = OutboxRepository(conn)
        assert repo.claim_due(now=49, limit=5) == []
        assert repo.requeue_in_flight().outbox == {"b"}  # what a restart after kill -9 does
        assert [i.idempotency_key for i in repo.claim_due(now=50, limit=5)] == ["a", "b"]
    b = reader.get("b")
    assert b is not None and b.attempts == 2 and b.idempotency_key == "b"


def test_failed_items_can_be_reopened_with_new_text_or_removed(db: Database) -> None:
    with db.transaction() as conn:
        repo = OutboxRepository(conn)
        repo.add(_item("a", 1))
        repo.claim_due(now=1, limit=1)
        repo.mark_failed("a", "Invalid recipient")
    reader = OutboxRepository(db.read())
    failed = reader.items([OutboxState.FAILED])
    assert [(i.idempotency_key, i.last_error) for i in failed] == [("a", "Invalid recipient")]
    with db.transaction() as conn:
        OutboxRepository(conn).reopen("a", text="edited")
    item = reader.get("a")
    assert (
        item is not None
        and item.state is OutboxState.PENDING
        and item.text == "edited"
        and item.last_error is None
    )
    with db.transaction() as conn:
        assert OutboxRepository(conn).remove("a").outbox == {"a"}
    assert reader.items() == []
