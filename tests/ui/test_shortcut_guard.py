"""ShortcutGuard: a window shortcut wins over a text field that claims the same keys (as QLineEdit
claims Ctrl+K under the X11 key scheme of GNOME and KDE); other keys still reach the field."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QKeyCombination, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QMainWindow

from blooio_desktop.ui.shortcut_guard import ShortcutGuard

CTRL = Qt.KeyboardModifier.ControlModifier


class X11LineEdit(QLineEdit):
    """Claims Ctrl+K ("delete to the end of the line") the way QLineEdit does under the X11 key
    scheme, which the offscreen test platform does not use."""

    def event(self, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.keyCombination() == QKeyCombination(CTRL, Qt.Key.Key_K)
        ):
            event.accept()
            return True
        return super().event(event)


def _window(qtbot: Any) -> tuple[QMainWindow, X11LineEdit, list[bool]]:
    window = QMainWindow()
    qtbot.addWidget(window)
    edit = X11LineEdit("some text")
    window.setCentralWidget(edit)
    triggered: list[bool] = []
    action = QAction("Go to Chat…", window)
    action.setShortcut(QKeySequence("Ctrl+K"))
    action.triggered.connect(lambda: triggered.append(True))
    window.addAction(action)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    edit.setFocus()
    return window, edit, triggered


def test_without_the_guard_the_text_field_swallows_the_shortcut(qtbot: Any) -> None:
    _, edit, triggered = _window(qtbot)
    QTest.keyClick(edit, Qt.Key.Key_K, CTRL)
    assert triggered == []


def test_the_guarded_shortcut_reaches_the_window_and_other_keys_the_field(qtbot: Any) -> None:
    window, edit, triggered = _window(qtbot)
    ShortcutGuard([QKeySequence("Ctrl+K")], window).watch(edit)
    QTest.keyClick(edit, Qt.Key.Key_K, CTRL)
    assert triggered == [True]
    QTest.keyClick(edit, Qt.Key.Key_A, CTRL)  # select all: still the field's
    assert edit.selectedText() == "some text"
