"""The inspector's tables on a real SQLite file: insert, filter, page, forward attempts, prune."""

from __future__ import annotations

from pathlib import Path

from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.store.database import Database
from blooio_desktop.store.deliveries import DeliveryFilter, DeliveryRepository, ForwardAttempt


def make(
    n: int, verdict: str = "valid", event: str = "message.sent", replay_of: int | None = None
) -> WebhookDelivery:
    return WebhookDelivery(
        id=None, received_at=1000.0 + n, method="POST", path="/webhooks/blooio",
        headers=(("Content-Type", "application/json"), ("X-Blooio-Signature", "<redacted>")),
        body=b'{"n": %d}' % n, verdict=verdict, response_status=200, event=event, message_id=f"m{n}",
        processing_ms=1.5, delay_ms=20.0, replay_of=replay_of,
    )  # fmt: skip


def test_insert_filter_page_and_round_trip(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "d.sqlite3")
    with db.transaction() as conn:
        repo = DeliveryRepository(conn)
        ids = [repo.insert(make(i, "invalid" if i % 2 else "valid")) for i in range(6)]
    reader = DeliveryRepository(db.read())
    first = reader.get(ids[0])
    assert first is not None and first.headers == make(0).headers and first.body == b'{"n": 0}'
    assert [d.id for d in reader.recent(limit=2)] == ids[:-3:-1]
    assert [d.id for d in reader.recent(limit=2, before_id=ids[4])] == [ids[3], ids[2]]
    assert reader.count(DeliveryFilter(verdicts=("invalid",))) == 3
    assert [d.message_id for d in reader.iter_oldest_first(DeliveryFilter(since=1004.0))] == [
        "m4",
        "m5",
    ]
    db.close()


def test_replay_of_a_missing_delivery_is_dropped_and_attempts_cascade(tmp_path: Path) -> None:
    db = Database.open(tmp_path / "d.sqlite3")
    with db.transaction() as conn:
        repo = DeliveryRepository(conn)
        original = repo.insert(make(1))
        replay = repo.insert(make(2, replay_of=original))
        orphan = repo.insert(make(3, replay_of=999))
        repo.add_forward_attempt(ForwardAttempt(original, "http://x/hook", 200, None, 3.0, 1001.0))
    reader = DeliveryRepository(db.read())
    assert reader.get(replay).replay_of == original  # type: ignore[union-attr]
    assert reader.get(orphan).replay_of is None  # type: ignore[union-attr]
    assert [a.status for a in reader.forward_attempts(original)] == [200]
    with db.transaction() as conn:
        assert DeliveryRepository(conn).prune(keep=1) == 2
    assert reader.forward_attempts(original) == []
    assert [d.id for d in reader.recent()] == [orphan]
    db.close()
