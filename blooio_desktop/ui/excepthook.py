"""The last line of defence: an unexpected exception is logged and shown once, never a crash.

Expected failures (the core/errors.py tree) are handled where they happen and shown inline; anything
reaching this hook is a bug. The dialog shows a secret-free summary; the traceback goes to the log.
Dialogs are rate-limited so an exception in a paint loop cannot bury the user in windows.
"""

from __future__ import annotations

import logging
import sys
import time
import traceback
from collections.abc import Callable
from types import TracebackType
from typing import Any

from PySide6.QtWidgets import QMessageBox, QWidget

from blooio_desktop.core.redact import redact

log = logging.getLogger("blooio_desktop.unhandled")
DIALOG_INTERVAL_S = 10.0

Hook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


class ExceptHook:
    def __init__(self, parent: QWidget | None = None, *, show_dialog: bool = True) -> None:
        self._parent = parent
        self._show_dialog = show_dialog
        self._last_dialog = 0.0
        self._previous: Hook | None = None
        self.dialog: QMessageBox | None = (
            None  # kept: a parentless dialog would be collected at once
        )

    def install(self) -> None:
        self._previous = sys.excepthook
        sys.excepthook = self

    def uninstall(self) -> None:
        if self._previous is not None:
            sys.excepthook = self._previous
            self._previous = None

    def loop_handler(self, _loop: Any, context: dict[str, Any]) -> None:
        """For `loop.set_exception_handler`: exceptions in tasks and callbacks land here too."""
        exc = context.get("exception")
        if isinstance(exc, BaseException):
            self(type(exc), exc, exc.__traceback__)
        else:
            log.error("asyncio: %s", redact(str(context.get("message"))))

    def __call__(
        self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):
            return
        text = "".join(traceback.format_exception(kind, exc, tb))
        log.error("Unhandled exception:\n%s", redact(text))
        now = time.monotonic()
        if not self._show_dialog or now - self._last_dialog < DIALOG_INTERVAL_S:
            return
        self._last_dialog = now
        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Something went wrong")
        box.setText("Blooio Desktop hit an unexpected problem. Your messages are safe.")
        box.setInformativeText(redact(f"{kind.__name__}: {exc}")[:400])
        box.setDetailedText(redact(text)[-4000:])
        box.open()
        self.dialog = box
