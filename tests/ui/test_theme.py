"""Theme: light and dark palettes, delegates reading the right colours, one stylesheet."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QListView

from blooio_desktop.ui.theme import (
    DARK,
    LIGHT,
    apply_theme,
    build_palette,
    colors_for,
    resolve_dark,
)


def test_explicit_modes_win_over_the_system(qapp: QApplication) -> None:
    assert resolve_dark("dark") and not resolve_dark("light")


def test_apply_theme_styles_the_whole_app(qapp: QApplication) -> None:
    previous = (qapp.palette(), qapp.styleSheet())
    try:
        assert apply_theme(qapp, "dark") is DARK
        assert qapp.palette().color(QPalette.ColorRole.Window).name() == DARK.window
        assert "QPlainTextEdit#ComposerEdit" in qapp.styleSheet()
        assert apply_theme(qapp, "light") is LIGHT
    finally:
        qapp.setPalette(previous[0])
        qapp.setStyleSheet(previous[1])


def test_delegates_tell_dark_from_light_even_on_transparent_views(qtbot: Any) -> None:
    view = QListView()
    qtbot.addWidget(view)
    view.setPalette(build_palette(DARK))
    view.setStyleSheet("QListView { background: transparent; }")
    assert colors_for(view.palette()) is DARK
    assert colors_for(build_palette(LIGHT)) is LIGHT
