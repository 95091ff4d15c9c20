"""Run start-up work right after a window's first paint, so it never delays what the user sees.

The composition root shows the window from the local cache first, then starts the tray badge count,
the webhook listener, the tunnel and the sync. A window that is not shown (started minimized to the
tray) or that the platform never exposes still gets its work started: immediately, or after
`fallback_ms`.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 2000  # a window the window manager never maps must not keep the app offline


class FirstPaint(QObject):
    """Calls `callback` once: on the loop turn after `window` first paints (or after the fallback)."""

    def __init__(
        self, window: QWidget, callback: Callable[[], None], fallback_ms: int = FALLBACK_MS
    ) -> None:
        super().__init__(window)
        self._window = window
        self._callback: Callable[[], None] | None = callback
        if not window.isVisible():
            QTimer.singleShot(0, self, self._fire)
            return
        window.installEventFilter(self)
        QTimer.singleShot(fallback_ms, self, self._fire)

    @property
    def pending(self) -> bool:
        return self._callback is not None

    def cancel(self) -> None:
        """Never call back (the window is going away before it painted)."""
        self._callback = None
        self._window.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            self._window.removeEventFilter(self)
            QTimer.singleShot(0, self, self._after_paint)  # once this paint has reached the screen
        return False

    def _after_paint(self) -> None:
        """One more loop turn: what the children's paints queued (view follow-ups) goes first."""
        QTimer.singleShot(0, self, self._fire)

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            self._window.removeEventFilter(self)
            callback()
