"""Start-up work waits for the window's first paint, runs once, and still runs for a hidden window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

from blooio_desktop.ui.first_paint import FirstPaint


class PaintLog(QObject):
    """Records, in order, the paints of `window`'s label and the callback's runs."""

    def __init__(self, label: QLabel) -> None:
        super().__init__()
        self.label = label
        self.events: list[str] = []

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.label and event.type() == QEvent.Type.Paint:
            self.events.append("label painted")
        return False


def _window(qtbot: Any) -> tuple[QMainWindow, PaintLog]:
    window = QMainWindow()
    label = QLabel("cached chats")
    window.setCentralWidget(label)
    window.resize(400, 300)
    qtbot.addWidget(window)
    log = PaintLog(label)
    QApplication.instance().installEventFilter(log)  # type: ignore[union-attr]
    return window, log


def test_the_work_starts_after_the_window_and_its_children_have_painted(qtbot: Any) -> None:
    window, log = _window(qtbot)
    window.show()
    first = FirstPaint(window, lambda: log.events.append("started"))
    assert first.pending and log.events == []  # nothing runs inside show()
    qtbot.waitUntil(lambda: "started" in log.events, timeout=5000)
    assert log.events.index("label painted") < log.events.index("started")
    window.update()
    qtbot.wait(50)
    assert log.events.count("started") == 1 and not first.pending


def test_a_window_that_is_not_shown_still_gets_its_work_started(qtbot: Any) -> None:
    window, log = _window(qtbot)  # started minimized to the tray: never painted
    FirstPaint(window, lambda: log.events.append("started"))
    qtbot.waitUntil(lambda: log.events == ["started"], timeout=5000)


def test_a_window_that_never_paints_starts_after_the_fallback(qtbot: Any) -> None:
    window, log = _window(qtbot)
    window.show()
    window.setUpdatesEnabled(False)  # the window manager never exposes it
    window.hide()
    window.show()
    started: list[str] = []
    FirstPaint(window, lambda: started.append("started"), fallback_ms=100)
    qtbot.waitUntil(lambda: started == ["started"], timeout=5000)
    assert "label painted" not in log.events


def test_cancelled_work_never_runs(qtbot: Any) -> None:
    window, log = _window(qtbot)
    window.show()
    FirstPaint(window, lambda: log.events.append("started")).cancel()
    qtbot.wait(100)
    assert "started" not in log.events
