"""The typing indicator follows typing webhooks for the open chat and hides by itself."""

from __future__ import annotations

from typing import Any

from blooio_desktop.core.events import WebhookEvent
from blooio_desktop.store import Database
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.thread.panel import ThreadPanel

ALICE = "+15550000001"


def test_typing_events_for_the_open_chat_show_and_hide_the_indicator(
    demo_db: Database, ui_context: AppContext, qtbot: Any
) -> None:
    panel = ThreadPanel(ui_context)
    qtbot.addWidget(panel)
    panel.open_chat(ALICE)  # before show(): no mark-read timer outlives this test (it has no loop)
    panel.show()
    ui_context.bus.publish(
        WebhookEvent(event="typing.started", message_id=None, external_id="+15550000002")
    )
    assert not panel.typing.isVisible()  # another chat
    ui_context.bus.publish(WebhookEvent(event="typing.started", message_id=None, external_id=ALICE))
    assert panel.typing.isVisible() and panel.typing.text().startswith("Alice Martin is typing")
    ui_context.bus.publish(
        WebhookEvent(event="message.received", message_id="m1", external_id=ALICE)
    )
    assert not panel.typing.isVisible()  # the message arrived
