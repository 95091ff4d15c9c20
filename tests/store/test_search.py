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


def test_the_ranking_rule_is_bm25_among_the_newest_matches(db: Database) -> None:
    """The rule in store/search.py: bm25 among the newest `window` matches (stored order), best
    first, ties newest first; fewer matches than the window are all ranked."""
    with db.transaction() as conn:
        MessageRepository(conn).upsert(
            [
                message("oldest-best", A, text="invoice invoice invoice", time_sent=1),
                message("plain-1", A, text="here is the invoice for march", time_sent=2),
                message("better", B, text="invoice and the invoice copy", time_sent=3),
                message("plain-2", A, text="here is the invoice for april", time_sent=4),
                message("no-match", A, text="see you at noon", time_sent=5),
            ]
        )
    reader = db.read()
    everything = SearchIndex(reader).search("invoice")
    assert [h.message.message_id for h in everything] == [
        "oldest-best",
        "better",
        "plain-2",  # an exact tie with plain-1: the newer one first
        "plain-1",
    ]
    windowed = SearchIndex(reader, window=3).search("invoice", limit=3)
    assert [h.message.message_id for h in windowed] == ["better", "plain-2", "plain-1"]
    assert [h.message.message_id for h in SearchIndex(reader, window=3).search("inv", limit=4)] == [
        "oldest-best",  # asking for more hits than the window widens it
        "better",
        "plain-2",
        "plain-1",
    ]


def test_in_one_chat_the_window_is_that_chats_newest_matches(db: Database) -> None:
    with db.transaction() as conn:
        MessageRepository(conn).upsert(
            [message("a1", A, text="lunch at noon", time_sent=1)]
            + [message(f"b{n}", B, text=f"lunch number {n}", time_sent=2 + n) for n in range(5)]
        )
    index = SearchIndex(db.read(), window=2)
    assert [h.message.message_id for h in index.search("lunch", chat_id=A, limit=2)] == ["a1"]
    assert {h.message.message_id for h in index.search("lunch", chat_id=B, limit=2)} == {"b3", "b4"}


def test_a_hidden_best_match_is_replaced_by_the_next_one(db: Database) -> None:
    with db.transaction() as conn:
        repo = MessageRepository(conn)
        repo.upsert(
            [
                message("best", text="resend resend resend", time_sent=1),
                message("next", text="please resend the photo", time_sent=2),
                message("last", text="could you resend the photo from the weekend", time_sent=3),
            ]
        )
        repo.supersede("best", "key-2")
    hits = SearchIndex(db.read()).search("resend", limit=2)
    assert [h.message.message_id for h in hits] == ["next", "last"]
