"""Forward targets editor: URLs are validated with a specific message; event filters are kept."""

from __future__ import annotations

from typing import Any

from blooio_desktop.config.settings import ForwardTarget
from blooio_desktop.ui.workbench.forward_targets import ForwardTargetsDialog


def test_add_validate_and_remove(qtbot: Any) -> None:
    dialog = ForwardTargetsDialog((ForwardTarget("http://127.0.0.1:3000/a"),))
    qtbot.addWidget(dialog)
    dialog.url.setText("localhost:4000/hook")
    assert not dialog.add_current()
    assert "http://" in dialog.error.text()
    dialog.url.setText("http://127.0.0.1:3000/a")
    assert not dialog.add_current() and "already in the list" in dialog.error.text()
    dialog.url.setText("https://bot.example.com/hook")
    dialog.events.setText("message.received, message.reaction")
    assert dialog.add_current() and dialog.error.text() == ""
    assert dialog.targets() == (
        ForwardTarget("http://127.0.0.1:3000/a"),
        ForwardTarget("https://bot.example.com/hook", ("message.received", "message.reaction")),
    )
    dialog.list.setCurrentRow(0)
    dialog.remove_button.click()
    assert [t.url for t in dialog.targets()] == ["https://bot.example.com/hook"]
