"""Keeps the window's global shortcuts (Ctrl+K, Ctrl+F, …) working while a text field has the focus.

Under the X11 key scheme that GNOME and KDE use, QLineEdit and QPlainTextEdit claim Ctrl+K ("delete
to the end of the line") by accepting the ShortcutOverride event Qt sends before any shortcut fires,
so the quick switcher would never open from the composer or the search box, where the focus usually
is. The guard filters those override events for the sequences it protects, so the shortcut wins;
every other key reaches the text field as before.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence


def _text(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.PortableText)


class ShortcutGuard(QObject):
    def __init__(self, sequences: Iterable[QKeySequence], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._protected = {_text(s) for s in sequences if not s.isEmpty()}

    def watch(self, *widgets: QObject) -> None:
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            # Filtered and not accepted: the shortcut map goes on to trigger the window's action.
            return _text(QKeySequence(event.keyCombination())) in self._protected
        return super().eventFilter(watched, event)
