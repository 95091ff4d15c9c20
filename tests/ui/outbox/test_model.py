"""The outbox table: visible rows, in-place updates from `Changes.outbox`, and model integrity."""

from __future__ import annotations

import dataclasses
from typing import Any

from blooio_desktop.core.models import Attachment, OutboxItem, OutboxState
from blooio_desktop.ui.outbox.model import KeyRole, OutboxModel, next_retry_text


def _item(key: str, state: OutboxState = OutboxState.PENDING, **kw: Any) -> OutboxItem:
    return OutboxItem(
        idempotency_key=key, chat_id="+15551230000", text=f"text {key}", state=state, **kw
    )


def _keys(model: OutboxModel) -> list[str]:
    return [model.index(r, 0).data(KeyRole) for r in range(model.rowCount())]


def test_sent_items_are_hidden_and_rows_follow_creation_order(qtmodeltester: Any) -> None:
    model = OutboxModel()
    model.set_items(
        [
            _item("b", created_at=2.0),
            _item("a", OutboxState.FAILED, created_at=1.0, last_error="boom"),
            _item("c", OutboxState.SENT, created_at=3.0),
        ]
    )
    qtmodeltester.check(model)
    assert _keys(model) == ["a", "b"]
    assert model.index(0, 0).data() == "Failed"
    assert model.index(0, 5).data() == "boom"
    assert model.index(0, 6).data() == "a"


def test_apply_updates_inserts_and_removes_single_rows(qtmodeltester: Any, qtbot: Any) -> None:
    model = OutboxModel()
    model.set_items([_item("a", created_at=1.0), _item("b", created_at=2.0)])
    qtmodeltester.check(model)
    failed = dataclasses.replace(_item("a", created_at=1.0), state=OutboxState.FAILED, attempts=3)
    with qtbot.waitSignal(model.dataChanged):
        model.apply(["a"], {"a": failed})
    assert model.index(0, 0).data() == "Failed" and model.index(0, 3).data() == "3"
    with qtbot.waitSignal(model.rowsInserted):
        model.apply(["c"], {"c": _item("c", created_at=3.0)})
    with qtbot.waitSignal(model.rowsRemoved):
        model.apply(["b"], {"b": dataclasses.replace(_item("b"), state=OutboxState.SENT)})
    with qtbot.waitSignal(model.rowsRemoved):
        model.apply(["c"], {})  # discarded: gone from the store
    assert _keys(model) == ["a"]


def test_message_cell_counts_attachments_and_next_retry_is_relative() -> None:
    model = OutboxModel()
    model.set_items(
        [_item("a", attachments=(Attachment("https://x/a.png"), Attachment("https://x/b.png")))]
    )
    assert model.index(0, 2).data() == "text a (+2 attachments)"
    assert next_retry_text(_item("a", next_attempt_at=110.0), now=100.0) == "in 10 s"
    assert next_retry_text(_item("a", next_attempt_at=90.0), now=100.0) == "now"
    assert next_retry_text(_item("a", OutboxState.FAILED, next_attempt_at=90.0), now=100.0) == "—"
