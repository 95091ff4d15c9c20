"""Status-bar widget: where webhooks stand (listener → tunnel → registered → verified, or degraded
with the reason), the public URL with a copy button, and a button to start or stop receiving (its
menu restarts the tunnel).

It follows `ConnectivityState` events from the bus; the buttons call `ConnectivityService`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from blooio_desktop.services.connectivity import ConnectivityService, ConnectivityState, Phase
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.tasks import async_slot

_PHASES: dict[Phase, tuple[str, str]] = {
    Phase.STOPPED: ("Webhooks off", "#8e8e93"),
    Phase.LISTENER_UP: ("Listening locally", "#f08c00"),
    Phase.TUNNEL_UP: ("Tunnel up · registering…", "#f08c00"),
    Phase.REGISTERED: ("Registered · verifying…", "#0a84ff"),
    Phase.VERIFIED: ("Webhooks live", "#2fa84a"),
    Phase.DEGRADED: ("Webhooks degraded", "#e5383b"),
}
URL_CHARS = 48
COPIED_FEEDBACK_MS = 1500


def phase_text(state: ConnectivityState) -> str:
    text = _PHASES.get(state.phase, (state.phase.value, ""))[0]
    if state.phase is Phase.DEGRADED and state.reason:
        text = f"{text}: {state.reason}"
    return text


def elide_middle(text: str, limit: int = URL_CHARS) -> str:
    if len(text) <= limit:
        return text
    half = (limit - 1) // 2
    return f"{text[:half]}…{text[-half:]}"


class ConnectivityStatusWidget(QWidget):
    """`state_shown(state)` fires after the widget has taken a new state into account."""

    state_shown = Signal(object)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._state = ConnectivityState(Phase.STOPPED)
        self.dot = QLabel("●", self)
        self.dot.setAccessibleName("Webhook status colour")
        self.label = QLabel(self)
        self.label.setAccessibleName("Webhook status")
        self.url = QLabel(self)
        self.url.setAccessibleName("Webhook URL")
        self.url.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.copy_button = QToolButton(self)
        self.copy_button.setText("Copy")
        self.copy_button.setAccessibleName("Copy webhook URL")
        self.copy_button.setAutoRaise(True)
        self.toggle_button = QToolButton(self)
        self.toggle_button.setAutoRaise(True)
        self.toggle_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu = QMenu(self.toggle_button)
        self.restart_action = menu.addAction("Restart tunnel")
        self.toggle_button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.setSpacing(6)
        for widget in (self.dot, self.label, self.url, self.copy_button, self.toggle_button):
            layout.addWidget(widget)
        self.copy_button.clicked.connect(self.copy_url)
        self.toggle_button.clicked.connect(self._toggle)
        self.restart_action.triggered.connect(self._restart)
        if context.bridge is not None:
            context.bridge.bus_event.connect(self.on_event)
        service = context.connectivity
        self.show_state(service.state if service is not None else self._state)

    @property
    def shown_url(self) -> str | None:
        """The URL Blooio posts to: the public one when there is a tunnel, else the local one."""
        return self._state.public_url or self._state.local_url

    def on_event(self, event: object) -> None:
        if isinstance(event, ConnectivityState):
            self.show_state(event)

    def show_state(self, state: ConnectivityState) -> None:
        self._state = state
        text, color = _PHASES.get(state.phase, (state.phase.value, "#8e8e93"))
        # A widget-level style rule, not a palette: the app theme's stylesheet would override a palette.
        self.dot.setStyleSheet(f"color: {color};")
        self.label.setText(phase_text(state))
        tooltip = "\n".join(
            part for part in (state.reason, state.hint and f"What to do: {state.hint}") if part
        )
        self.label.setToolTip(tooltip or text)
        url = self.shown_url
        self.url.setText(elide_middle(url) if url else "")
        self.url.setToolTip(url or "")
        self.copy_button.setVisible(bool(url))
        running = state.phase is not Phase.STOPPED
        self.toggle_button.setText("Stop" if running else "Start")
        self.toggle_button.setAccessibleName(
            "Stop receiving webhooks" if running else "Start receiving webhooks"
        )
        self.toggle_button.setEnabled(self._context.connectivity is not None)
        self.restart_action.setEnabled(running)
        self.state_shown.emit(state)

    def copy_url(self) -> None:
        url = self.shown_url
        if url:
            QGuiApplication.clipboard().setText(url)
            self.copy_button.setText("Copied ✓")
            QTimer.singleShot(COPIED_FEEDBACK_MS, self, lambda: self.copy_button.setText("Copy"))

    @async_slot()
    async def _toggle(self) -> None:
        await self.toggle()

    async def toggle(self) -> None:
        """Start when stopped, otherwise stop (the service deletes the webhook it registered)."""
        stopped = self._state.phase is Phase.STOPPED
        await self._call(lambda service: service.start() if stopped else service.stop())

    @async_slot()
    async def _restart(self) -> None:
        """A new tunnel URL moves the webhook registration over (the service handles it)."""
        await self._call(lambda service: service.restart_tunnel())

    async def _call(self, action: Callable[[ConnectivityService], Awaitable[object]]) -> None:
        """One service call at a time: the button stays disabled until it has finished."""
        service = self._context.connectivity
        if service is None:
            return
        self.toggle_button.setEnabled(False)
        try:
            await action(service)
        finally:
            self.toggle_button.setEnabled(True)
