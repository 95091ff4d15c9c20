"""Full-text search: ranked, prefix as the user types, per chat, safe with any input."""

from __future__ import annotations

from blooio_desktop.store import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    Database,
    MessageRepository,
    SearchIndex,
)
from tests.store.factories import message

A, B = "+15550000001", "+15550000002"


def _seed(db: Database) -> None:
    with db.transaction() as conn:
        MessageRepository(conn).upsert(
            [
                message("m1", A, text="The invoice is attached", time_sent=1),
                message(
                    "m2", A, text="invoice invoice: second reminder about the invoice", time_sent=2
                ),
                message("m3", B, text="Café opens at noon", time_sent=3),
                message("m4", B, text="Invoices are due Friday", time_sent=4),
            ]
        )


def test_results_are_ranked_best_match_first(db: Database) -> None:
    _seed(db)
    hits = SearchIndex(db.read()).search("invoice")
    assert hits[0].message.message_id == "m2"  # mentions it three times
    assert [h.rank for h in hits] == sorted(h.rank for h in hits)
    assert f"{HIGHLIGHT_START}invoice{HIGHLIGHT_END}" in hits[0].snippet


def test_prefix_search_matches_as_the_user_types(db: Database) -> None:
    _seed(db)
    index = SearchIndex(db.read())
    assert {h.message.message_id for h in index.search("inv")} == {"m1", "m2", "m4"}
    assert [h.message.message_id for h in index.search("inv fri")] == ["m4"]
    assert [h.message.message_id for h in index.search("cafe")] == ["m3"]  # diacritics folded


def test_search_can_be_limited_to_one_chat(db: Database) -> None:
    _seed(db)
    assert [h.message.message_id for h in SearchIndex(db.read()).search("invoice", chat_id=B)] == [
        "m4"
    ]


def test_edits_and_deletes_keep_the_index_in_sync_and_odd_input_is_safe(db: Database) -> None:
    _seed(db)
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.delete("m1")
        repo.upsert([message("m3", B, text="Tea opens at noon", time_sent=3)])
    index = SearchIndex(db.read())
    assert {h.message.message_id for h in index.search("invoice")} == {"m2", "m4"}
    assert index.search("café") == []
    assert [h.message.message_id for h in index.search("tea")] == ["m3"]
    for odd in ('"', "AND OR NOT", "(*)", "", "   ", "NEAR("):
        index.search(odd)  # never a syntax error


def test_a_superseded_message_is_not_found(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert([message("old", text="resend me"), message("new", text="resend me")])
        repo.supersede("old", "key-2")
    assert [h.message.message_id for h in SearchIndex(db.read()).search("resend")] == ["new"]
