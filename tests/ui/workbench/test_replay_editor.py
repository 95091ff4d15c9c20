"""The edit-and-replay dialog: pretty body in, compact JSON out, non-JSON said out loud."""

from __future__ import annotations

from typing import Any

from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.ui.workbench.replay_editor import ReplayEditor

DELIVERY = WebhookDelivery(
    id=7,
    received_at=0.0,
    method="POST",
    path="/h",
    headers=(),
    body=b'{"event":"message.sent","text":"hi"}',
    verdict="valid",
    response_status=200,
    event="message.sent",
)


def test_body_is_shown_pretty_and_sent_compact(qtbot: Any) -> None:
    editor = ReplayEditor(DELIVERY)
    qtbot.addWidget(editor)
    assert '\n  "text": "hi"' in editor.editor.toPlainText()
    editor.editor.setPlainText('{"event": "message.sent", "text": "edited ✓"}')
    assert editor.body() == '{"event":"message.sent","text":"edited ✓"}'.encode()
    assert editor.error.text() == ""
    editor.set_mode("expired")
    assert editor.mode() == "expired"


def test_invalid_json_is_allowed_but_flagged(qtbot: Any) -> None:
    editor = ReplayEditor(DELIVERY)
    qtbot.addWidget(editor)
    editor.editor.setPlainText("{not json")
    assert editor.error.text().startswith("Not valid JSON")
    assert editor.body() == b"{not json"
