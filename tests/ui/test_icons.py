"""UI icons follow the palette (light and dark), and the app icon exists at every size."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QColor, QIcon, QPalette, QPixmap
from pytestqt.qtbot import QtBot

from blooio_desktop.ui import icons
from blooio_desktop.ui.icons import APP_ICON_SIZES, IconSet, app_icon, icon_names

REQUIRED = {
    "send",
    "attach",
    "search",
    "settings",
    "webhook",
    "tunnel",
    "outbox",
    "pin",
    "group",
    "check",
    "double-check",
    "clock",
    "error",
    "copy",
    "replay",
    "sun",
    "moon",
}


def palette(text: str, disabled: str = "#999999", selected: str = "#ffffff") -> QPalette:
    pal = QPalette()
    pal.setColor(QPalette.ColorRole.WindowText, QColor(text))
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor(disabled))
    pal.setColor(QPalette.ColorRole.HighlightedText, QColor(selected))
    return pal


def ink(pixmap: QPixmap) -> set[str]:
    """The colours of the fully opaque pixels: what the icon is drawn in."""
    image = pixmap.toImage()
    found = set()
    for y in range(image.height()):
        for x in range(image.width()):
            colour = image.pixelColor(x, y)
            if colour.alpha() == 255:
                found.add(colour.name())
    return found


def test_every_icon_the_ui_needs_is_there(qtbot: QtBot) -> None:
    assert set(icon_names()) >= REQUIRED


@pytest.mark.parametrize("text", ["#1d1d1f", "#f2f2f7"])
def test_icons_are_drawn_in_the_palette_text_colour(qtbot: QtBot, text: str) -> None:
    pixmap = IconSet(palette(text)).icon("check").pixmap(32, 32)
    assert ink(pixmap) == {text}


def test_disabled_and_selected_icons_use_their_palette_colours(qtbot: QtBot) -> None:
    icon = IconSet(palette("#000000", disabled="#808080", selected="#00ff00")).icon("search")
    assert ink(icon.pixmap(QSize(32, 32), QIcon.Mode.Disabled)) == {"#808080"}
    assert ink(icon.pixmap(QSize(32, 32), QIcon.Mode.Selected)) == {"#00ff00"}


def test_an_explicit_colour_wins_and_is_cached_separately(qtbot: QtBot) -> None:
    icons_ = IconSet(palette("#000000"))
    red = icons_.icon("error", QColor("#ff3b30"))
    assert ink(red.pixmap(32, 32)) == {"#ff3b30"}
    assert icons_.icon("error", QColor("#ff3b30")) is red
    assert ink(icons_.icon("error").pixmap(32, 32)) == {"#000000"}


def test_pixmaps_for_delegates_are_crisp_on_high_dpi(qtbot: QtBot) -> None:
    pixmap = IconSet(palette("#0a84ff")).pixmap("double-check", 16, device_pixel_ratio=2.0)
    assert pixmap.size() == QSize(32, 32)
    assert pixmap.devicePixelRatio() == 2.0
    assert ink(pixmap) == {"#0a84ff"}


def test_an_unknown_icon_name_says_which_exist(qtbot: QtBot) -> None:
    with pytest.raises(KeyError, match=r"no UI icon named 'sned'; there are: .*send"):
        IconSet(palette("#000000")).icon("sned")


def test_the_app_icon_has_every_size(qtbot: QtBot) -> None:
    icon = app_icon()
    assert {size.width() for size in icon.availableSizes()} >= set(APP_ICON_SIZES)
    assert not icon.pixmap(64, 64).toImage().isNull()


def test_the_app_icon_is_drawn_from_the_svg_when_the_pngs_are_missing(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = icons.read_resource

    def without_pngs(*parts: str) -> bytes:
        if parts[-1].endswith(".png"):
            raise FileNotFoundError(parts[-1])
        return real(*parts)

    monkeypatch.setattr(icons, "read_resource", without_pngs)
    icon = app_icon()
    assert {size.width() for size in icon.availableSizes()} >= set(APP_ICON_SIZES)
    assert len(ink(icon.pixmap(128, 128))) > 1  # the gradient tile, not an empty square
