"""Render the app icon's PNG sizes from `app/icon.svg` with QtSvg.

Run after editing the SVG: `python resources/generate_icons.py` (or `--check` to fail when a PNG is
missing or stale, as the tests do). Desktops that cannot use SVG (the Linux hicolor theme at small
sizes, Windows .ico, PyInstaller's bundle icon) read these PNGs.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

# No window is ever shown: this runs on build machines with no display.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

SIZES: tuple[int, ...] = (16, 32, 48, 64, 128, 256, 512)
APP_DIR = Path(__file__).resolve().parent / "app"
SOURCE = APP_DIR / "icon.svg"


def png_path(size: int, out_dir: Path = APP_DIR) -> Path:
    return out_dir / f"icon-{size}.png"


def render_png(svg: bytes, size: int) -> bytes:
    """The SVG drawn into a transparent size×size image, encoded as PNG."""
    renderer = QSvgRenderer(QByteArray(svg))
    if not renderer.isValid():
        raise ValueError(f"{SOURCE} is not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return bytes(data.data())


def _close(a: QImage, b: QImage, tolerance: int = 8) -> bool:
    """Same size and no channel off by more than `tolerance`: another Qt version antialiases a bit
    differently, and that must not count as a stale icon."""
    if a.size() != b.size():
        return False
    fmt = QImage.Format.Format_RGBA8888_Premultiplied  # faint edge pixels compare fairly
    left, right = (
        bytes(a.convertToFormat(fmt).constBits()),
        bytes(b.convertToFormat(fmt).constBits()),
    )
    return all(abs(x - y) <= tolerance for x, y in zip(left, right, strict=True))


def stale_sizes(out_dir: Path = APP_DIR) -> list[int]:
    """Sizes whose PNG is missing or no longer matches a fresh render of the SVG."""
    svg = SOURCE.read_bytes()
    return [
        size
        for size in SIZES
        if not png_path(size, out_dir).exists()
        or not _close(QImage(str(png_path(size, out_dir))), QImage.fromData(render_png(svg, size)))
    ]


def generate(out_dir: Path = APP_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    svg = SOURCE.read_bytes()
    written = []
    for size in SIZES:
        path = png_path(size, out_dir)
        path.write_bytes(render_png(svg, size))
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=APP_DIR, help="folder for icon-<size>.png")
    parser.add_argument("--check", action="store_true", help="only report missing or stale PNGs")
    args = parser.parse_args(argv)
    _app = QGuiApplication.instance() or QGuiApplication([])  # kept alive: QtSvg needs a GUI app
    if args.check:
        stale = stale_sizes(args.out)
        if stale:
            print(
                f"stale or missing app icon PNGs: {stale}; run resources/generate_icons.py",
                file=sys.stderr,
            )
            return 1
        print("app icon PNGs are up to date")
        return 0
    paths = generate(args.out)
    total = sum(p.stat().st_size for p in paths)
    print(f"wrote {len(paths)} PNGs ({total / 1024:.0f} KiB) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
