"""Child process for the GUI benchmarks: runs the real app (or a bare window) and reports JSON lines.

Modes:
  bare     QApplication + an empty QMainWindow: the floor for start-up time and RSS.
  app      the app started exactly as `blooio-desktop gui` starts it (`cli.import_app()`, then
           `blooio_desktop.app.run()`); reports when the chat list's viewport first paints with
           rows in it, then quits.
  threads  like `app`, then opens the large threads one by one (time to the thread view's first
           paint, RSS after each) and scrolls the one opened last towards the top, sampling RSS.
Every report line is `{"event": …, "t": time.monotonic(), …}` on stdout; the parent joins `t` with
its own monotonic clock taken just before it started this process.

In `app` and `threads` mode nothing here loads Qt before the app is imported, so the app loads its
modules in the order `blooio-desktop gui` does (the Qt-free layers first): the probe's own Qt classes
are defined once the app is in (`_first_paint_class`). Its event filters sit on the two viewports it
measures, not on the whole application, where Python would run for every event of every object.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bench.common import rss_mb

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

PAINT_TIMEOUT_MS = 10_000


def report(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, "t": time.monotonic(), "rss_mb": rss_mb(), **fields}), flush=True)


@functools.cache
def _first_paint_class() -> type:
    """`FirstPaint(wanted, callback)`: calls `callback(widget)` (once per arm) on the first Paint of a
    widget that `wanted` accepts. Defined on first use, once whoever is measured has loaded Qt."""
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    class FirstPaint(QObject):
        def __init__(self, wanted: Callable[[QWidget], bool], callback: Callable[[QWidget], None]) -> None:
            super().__init__()
            self._wanted = wanted
            self._callback = callback
            self.armed = True

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if self.armed and event.type() == QEvent.Type.Paint and isinstance(obj, QWidget) and self._wanted(obj):
                self.armed = False
                QTimer.singleShot(0, lambda: self._callback(obj))  # after this paint has finished
            return False

    return FirstPaint


def first_paint(wanted: Callable[[QWidget], bool], callback: Callable[[QWidget], None]) -> Any:
    return _first_paint_class()(wanted, callback)


def single_shot(ms: int, callback: Callable[[], None]) -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(ms, callback)


def bare() -> None:
    from PySide6.QtWidgets import QApplication, QMainWindow

    qapp = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1180, 760)

    def done(_widget: QWidget) -> None:
        report("painted")
        qapp.quit()

    spy = first_paint(lambda w: w is window, done)
    window.installEventFilter(spy)
    window.show()
    qapp.exec()


def _chat_list_shown(widget: QWidget) -> bool:
    view = widget.parent()
    return (
        widget.objectName() == "qt_scrollarea_viewport"
        and view is not None
        and view.objectName() == "ChatList"
        and view.model() is not None  # type: ignore[attr-defined]
        and view.model().rowCount() > 0  # type: ignore[attr-defined]
    )


class ThreadTour:
    """Opens each thread given, waits for its first paint, then scrolls the last one to the top."""

    def __init__(self, window: Any, chats: list[str], scroll_s: float, spy: Any) -> None:
        self.window = window
        self.chats = chats
        self.scroll_s = scroll_s
        self.spy = spy
        self.opened_at = 0.0

    def next_chat(self) -> None:
        if not self.chats:
            self.scroll(self.window.thread_panel.view, self.window.thread_panel.model)
            return
        chat = self.chats.pop(0)
        self.spy.armed = True
        self.opened_at = time.monotonic()
        # The first access builds the panel if the app has not yet: part of the first open, then.
        # (Installing the filter again on later opens changes nothing.)
        self.window.thread_panel.view.viewport().installEventFilter(self.spy)
        self.window.open_chat(chat)
        single_shot(PAINT_TIMEOUT_MS, lambda: self._gave_up(chat))

    def _gave_up(self, chat: str) -> None:
        """Never hang the benchmark: a thread that has not painted in time is reported and skipped."""
        if self.spy.armed and self.window.thread.chat_id == chat:
            self.spy.armed = False
            report("thread_timeout", chat=chat)
            self.next_chat()

    def painted(self, _widget: QWidget) -> None:
        report("thread_painted", chat=self.window.thread_panel.chat_id, open_ms=(time.monotonic() - self.opened_at) * 1000,
               rows=self.window.thread_panel.model.rowCount())
        single_shot(0, self.next_chat)

    def scroll(self, view: Any, model: Any) -> None:
        """Scroll to the top repeatedly (each reach loads one older page) until done or out of time.

        `rows` counts every row the reader has had on hand (the first page plus each older page
        loaded), not `rowCount()`: a sliding window keeps the latter bounded while the reader moves.
        """
        from PySide6.QtWidgets import QApplication

        bar = view.verticalScrollBar()
        rows = model.rowCount()

        def loaded(count: int) -> None:
            nonlocal rows
            rows += count

        model.older_loaded.connect(loaded)
        started = time.monotonic()
        next_sample = 0
        while model.has_older and time.monotonic() - started < self.scroll_s:
            bar.setValue(0)
            QApplication.processEvents()
            if rows >= next_sample:
                report("scrolled", rows=rows, window=model.rowCount(), elapsed_s=time.monotonic() - started)
                next_sample = rows + 2000
        report("scroll_done", rows=rows, window=model.rowCount(), has_older=model.has_older,
               elapsed_s=time.monotonic() - started)
        self.window.quit_requested.emit()


def app(chats: list[str], scroll_s: float) -> None:
    report("started")
    from blooio_desktop.cli import import_app

    import_app()  # as `blooio-desktop gui` does: the first import, garbage collection held off
    import blooio_desktop.app as desktop
    from blooio_desktop.ui.main_window import MainWindow

    report("imported")

    original_qapp, original_window = desktop.create_qapp, desktop.MainWindow
    tour: ThreadTour | None = None

    def on_thread_paint(widget: QWidget) -> None:
        assert tour is not None
        tour.painted(widget)

    thread_spy = first_paint(lambda _viewport: tour is not None and tour.window.thread_panel.model.rowCount() > 0,
                             on_thread_paint)
    thread_spy.armed = False

    def on_list_paint(widget: QWidget) -> None:
        nonlocal tour
        window = widget.window()
        assert isinstance(window, MainWindow)
        report("painted", rows=window.chat_model.rowCount())
        if not chats:
            window.quit_requested.emit()
            return
        tour = ThreadTour(window, list(chats), scroll_s, thread_spy)
        tour.next_chat()

    list_spy = first_paint(_chat_list_shown, on_list_paint)

    def create_qapp() -> Any:
        report("creating_qapp")
        return original_qapp()

    def main_window(context: Any) -> MainWindow:
        """The app's window, its chat list watched. Filters sit on the viewports measured, never on
        the whole app: Python called for every event of every object costs the app ~35 ms to start."""
        window = original_window(context)
        window.sidebar.chat_view.viewport().installEventFilter(list_spy)
        return window

    desktop.create_qapp = create_qapp
    desktop.MainWindow = main_window
    code = desktop.run(desktop.GuiOptions())
    report("exited", code=code)
    os._exit(code)  # the measurement is over; skip interpreter teardown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=("bare", "app", "threads"))
    parser.add_argument("--chats", nargs="*", default=[])
    parser.add_argument("--scroll-s", type=float, default=60.0)
    args = parser.parse_args()
    if args.mode == "bare":
        bare()
    else:
        app(args.chats if args.mode == "threads" else [], args.scroll_s)


if __name__ == "__main__":
    main()
