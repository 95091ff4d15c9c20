"""Fixtures: a signed-ready sample for every event type, and user fixtures saved as JSON files."""

from __future__ import annotations

from pathlib import Path

import pytest

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.services.fixtures import BUILTIN, FixtureLibrary
from blooio_desktop.webhook.events import parse_event

EVENTS = {
    "message.received",
    "message.sent",
    "message.delivered",
    "message.read",
    "message.failed",
    "message.reaction",
}


def test_every_event_type_has_a_sample_that_parses(tmp_path: Path) -> None:
    library = FixtureLibrary(tmp_path)
    built = [parse_event(library.build(name)) for name in BUILTIN]
    assert {e.event for e in built} == EVENTS
    assert all(e.is_known and e.message_id and e.timestamp for e in built)
    group = parse_event(library.build("message.received.group"))
    assert group.is_group and group.chat_id == "grp_fixture1" and group.attachments


def test_each_build_is_fresh_and_overridable(tmp_path: Path) -> None:
    library = FixtureLibrary(tmp_path)
    a, b = library.build("message.sent"), library.build("message.sent", {"text": "custom"})
    assert a["message_id"] != b["message_id"] and b["text"] == "custom"
    assert BUILTIN["message.sent"].get("message_id") is None  # the template itself is untouched


def test_user_fixtures_round_trip(tmp_path: Path) -> None:
    library = FixtureLibrary(tmp_path / "fixtures")
    path = library.save("poll-vote", b'{"event": "poll.voted", "poll_id": "p1"}')
    assert path.parent == tmp_path / "fixtures"
    assert library.build("poll-vote") == {"event": "poll.voted", "poll_id": "p1"}
    assert library.names()[-1] == "poll-vote"


@pytest.mark.parametrize(
    ("name", "body"), [("../evil", b"{}"), ("message.sent", b"{}"), ("ok", b"[1]"), ("ok", b"nope")]
)
def test_bad_saves_are_refused_clearly(tmp_path: Path, name: str, body: bytes) -> None:
    with pytest.raises(ValidationError):
        FixtureLibrary(tmp_path).save(name, body)


def test_unknown_fixture_lists_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match=r"message\.reaction"):
        FixtureLibrary(tmp_path).build("message.nope")
