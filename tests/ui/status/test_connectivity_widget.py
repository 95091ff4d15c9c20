"""The status-bar connectivity widget follows ConnectivityState events and drives the service."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import qasync
from PySide6.QtGui import QGuiApplication

from blooio_desktop.services.connectivity import ConnectivityService, ConnectivityState, Phase
from blooio_desktop.tunnel.none import NoTunnel
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.status.connectivity_widget import ConnectivityStatusWidget, elide_middle
from blooio_desktop.webhook.listener import WebhookListener
from tests.ui.conftest import wait_for


@pytest.fixture
def widget(ui_context: AppContext, qtbot: Any) -> Iterator[ConnectivityStatusWidget]:
    w = ConnectivityStatusWidget(ui_context)
    qtbot.addWidget(w)
    yield w


def test_widget_follows_published_states(
    widget: ConnectivityStatusWidget, ui_context: AppContext
) -> None:
    assert widget.label.text() == "Webhooks off"
    assert not widget.toggle_button.isEnabled()  # no service to start
    ui_context.bus.publish(
        ConnectivityState(
            Phase.TUNNEL_UP, local_url="http://127.0.0.1:9/h", public_url="https://abc.ngrok.app/h"
        )
    )
    assert widget.label.text() == "Tunnel up · registering…"
    assert widget.url.text() == "https://abc.ngrok.app/h"
    ui_context.bus.publish(ConnectivityState(Phase.VERIFIED, public_url="https://abc.ngrok.app/h"))
    assert widget.label.text() == "Webhooks live"
    ui_context.bus.publish(
        ConnectivityState(
            Phase.DEGRADED, reason="ngrok: authtoken missing", hint="add it in Settings"
        )
    )
    assert widget.label.text() == "Webhooks degraded: ngrok: authtoken missing"
    assert "What to do: add it in Settings" in widget.label.toolTip()
    assert widget.copy_button.isHidden()


def test_copy_puts_the_public_url_on_the_clipboard(
    widget: ConnectivityStatusWidget, ui_context: AppContext
) -> None:
    ui_context.bus.publish(
        ConnectivityState(
            Phase.VERIFIED, local_url="http://127.0.0.1:1/h", public_url="https://x.example/h"
        )
    )
    widget.copy_button.click()
    assert QGuiApplication.clipboard().text() == "https://x.example/h"
    assert widget.copy_button.text() == "Copied ✓"


def test_long_urls_are_elided_in_the_middle() -> None:
    url = "https://" + "a" * 80 + ".ngrok-free.app/webhooks/blooio"
    short = elide_middle(url)
    assert len(short) <= 48 and short.startswith("https://") and short.endswith("blooio")


def test_start_and_stop_drive_the_real_service(
    ui_context: AppContext, qloop: qasync.QEventLoop, qtbot: Any
) -> None:
    async def body() -> None:
        async with httpx.AsyncClient() as http:
            listener = WebhookListener(secret_provider=lambda: ["whsec_test"])
            ui_context.connectivity = ConnectivityService(
                listener=listener, tunnel=NoTunnel(), bus=ui_context.bus, http=http
            )
            widget = ConnectivityStatusWidget(ui_context)
            qtbot.addWidget(widget)
            assert widget.toggle_button.text() == "Start"
            widget.toggle_button.click()  # the real asyncSlot, on the running qasync loop
            await wait_for(lambda: widget.label.text() == "Listening locally", what="listener up")
            assert widget.url.toolTip() == listener.url
            assert widget.toggle_button.text() == "Stop"
            assert widget.restart_action.isEnabled()
            widget.toggle_button.click()
            await wait_for(lambda: widget.label.text() == "Webhooks off", what="stopped")
            assert widget.url.text() == ""
            assert not widget.restart_action.isEnabled()

    qloop.run_until_complete(body())
