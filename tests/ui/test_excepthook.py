"""The global excepthook logs unexpected errors without secrets and never raises itself."""

from __future__ import annotations

import logging
import sys
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from blooio_desktop.ui.excepthook import ExceptHook


def test_unexpected_errors_are_logged_redacted(
    qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    hook = ExceptHook(show_dialog=False)
    hook.install()
    try:
        assert sys.excepthook is hook
        try:
            raise RuntimeError("boom with Bearer bl_live_abcdefghijklmnop")
        except RuntimeError as exc:
            with caplog.at_level(logging.ERROR, logger="blooio_desktop.unhandled"):
                sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        hook.uninstall()
    assert sys.excepthook is not hook
    assert "RuntimeError: boom" in caplog.text
    assert "abcdefghijklmnop" not in caplog.text


def test_asyncio_errors_reach_the_same_hook(qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    hook = ExceptHook(show_dialog=False)
    with caplog.at_level(logging.ERROR, logger="blooio_desktop.unhandled"):
        hook.loop_handler(None, {"exception": ValueError("in a task"), "message": "Task exception"})
        hook.loop_handler(None, {"message": "Task was destroyed but it is pending!"})
    assert "ValueError: in a task" in caplog.text
    assert "Task was destroyed" in caplog.text


def test_the_dialog_opens_once_for_a_burst(qtbot: Any) -> None:
    hook = ExceptHook()
    for _ in range(3):
        hook(ValueError, ValueError("again"), None)
    boxes = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]
    assert boxes == [hook.dialog]
    assert "ValueError: again" in boxes[0].informativeText()
    boxes[0].close()
