"""The app icon and the UI icons, read from the `blooio_desktop.resources` package.

UI icons are monochrome SVGs drawn in `currentColor`. `IconSet` recolours them with a palette's text
colours (normal, disabled, selected), so one set of files looks right in light and dark themes.
Files are read with `importlib.resources`, so wheels, editable installs and frozen bundles all work.
"""

from __future__ import annotations

from importlib import resources

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

RESOURCES_PACKAGE = "blooio_desktop.resources"
APP_ICON_SIZES: tuple[int, ...] = (16, 32, 48, 64, 128, 256, 512)
# Device pixels an icon is pre-rendered at: 1x and 2x of the usual 16/20/24/32 px logical sizes.
UI_ICON_SIZES: tuple[int, ...] = (16, 20, 24, 32, 40, 48, 64)


def read_resource(*parts: str) -> bytes:
    """The bytes of a file under resources/, e.g. `read_resource("icons", "send.svg")`."""
    node = resources.files(RESOURCES_PACKAGE)
    for part in parts:
        node = node.joinpath(part)
    return node.read_bytes()


def icon_names() -> list[str]:
    """Every UI icon there is, by the name `IconSet.icon()` takes."""
    folder = resources.files(RESOURCES_PACKAGE).joinpath("icons")
    return sorted(
        entry.name.removesuffix(".svg") for entry in folder.iterdir() if entry.name.endswith(".svg")
    )


def render_svg(svg: bytes, size: int, color: QColor | None = None) -> QPixmap:
    """A transparent size×size pixmap of `svg`; `color` replaces `currentColor` when given."""
    if color is not None:
        svg = svg.replace(b"currentColor", color.name(QColor.NameFormat.HexRgb).encode())
    renderer = QSvgRenderer(QByteArray(svg))
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if color is not None:
        painter.setOpacity(color.alphaF())
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return pixmap


def app_icon() -> QIcon:
    """The Blooio Desktop icon at every size: the rendered PNGs, or the SVG if they are missing."""
    icon = QIcon()
    svg: bytes | None = None
    for size in APP_ICON_SIZES:
        pixmap = QPixmap()
        try:
            pixmap.loadFromData(read_resource("app", f"icon-{size}.png"), "PNG")
        except FileNotFoundError:
            svg = svg or read_resource("app", "icon.svg")
            pixmap = render_svg(svg, size)
        icon.addPixmap(pixmap)
    return icon


class IconSet:
    """UI icons coloured for one palette, cached by name and colour.

    Build a new `IconSet` when the palette changes (a light/dark switch) and set the icons again:
    a QIcon is pixels, it does not follow the palette by itself.
    """

    def __init__(self, palette: QPalette) -> None:
        self._palette = palette
        self._svgs: dict[str, bytes] = {}
        self._icons: dict[tuple[str, str], QIcon] = {}

    def icon(self, name: str, color: QColor | None = None) -> QIcon:
        """The icon `name` in `color` (default: the palette's text colour), with disabled and
        selected variants taken from the palette."""
        normal = color if color is not None else self._palette.color(QPalette.ColorRole.WindowText)
        key = (name, normal.name(QColor.NameFormat.HexArgb))
        cached = self._icons.get(key)
        if cached is not None:
            return cached
        svg = self._svg(name)
        disabled = self._palette.color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        selected = self._palette.color(QPalette.ColorRole.HighlightedText)
        icon = QIcon()
        for size in UI_ICON_SIZES:
            icon.addPixmap(render_svg(svg, size, normal), QIcon.Mode.Normal)
            icon.addPixmap(render_svg(svg, size, disabled), QIcon.Mode.Disabled)
            icon.addPixmap(render_svg(svg, size, selected), QIcon.Mode.Selected)
        self._icons[key] = icon
        return icon

    def pixmap(
        self, name: str, size: int, color: QColor | None = None, device_pixel_ratio: float = 1.0
    ) -> QPixmap:
        """One crisp pixmap, for delegates that paint icons themselves (status ticks, badges)."""
        normal = color if color is not None else self._palette.color(QPalette.ColorRole.WindowText)
        pixmap = render_svg(self._svg(name), round(size * device_pixel_ratio), normal)
        pixmap.setDevicePixelRatio(device_pixel_ratio)
        return pixmap

    def _svg(self, name: str) -> bytes:
        if name not in self._svgs:
            try:
                self._svgs[name] = read_resource("icons", f"{name}.svg")
            except FileNotFoundError:
                raise KeyError(
                    f"no UI icon named {name!r}; there are: {', '.join(icon_names())}"
                ) from None
        return self._svgs[name]
