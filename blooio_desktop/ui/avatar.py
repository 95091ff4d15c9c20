"""Round avatars with initials and a stable colour per chat, painted (no widget per row)."""

from __future__ import annotations

import zlib

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QLinearGradient, QPainter, QPainterPath

AVATAR_COLORS: tuple[tuple[str, str], ...] = (
    ("#ff8a65", "#f4511e"),
    ("#ffb74d", "#fb8c00"),
    ("#81c784", "#43a047"),
    ("#4dd0e1", "#00acc1"),
    ("#64b5f6", "#1e88e5"),
    ("#9575cd", "#5e35b1"),
    ("#f06292", "#d81b60"),
    ("#a1887f", "#6d4c41"),
    ("#90a4ae", "#546e7a"),
)


def initials(name: str) -> str:
    """Up to two letters from a name; "" for a phone number or email (drawn as a silhouette)."""
    words = [w for w in name.replace("@", " ").split() if w[:1].isalpha()]
    if not words or name.lstrip().startswith("+") or "@" in name:
        return ""
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def avatar_colors(key: str) -> tuple[QColor, QColor]:
    top, bottom = AVATAR_COLORS[zlib.crc32(key.encode()) % len(AVATAR_COLORS)]
    return QColor(top), QColor(bottom)


def paint_avatar(
    painter: QPainter, rect: QRectF, key: str, name: str, *, group: bool = False
) -> None:
    """A gradient disc with initials, or a person (two people for an unnamed group) without them."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    top, bottom = avatar_colors(key)
    gradient = QLinearGradient(rect.topLeft(), rect.bottomLeft())
    gradient.setColorAt(0, top)
    gradient.setColorAt(1, bottom)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(gradient)
    painter.drawEllipse(rect)
    letters = initials(name)
    painter.setBrush(QColor(255, 255, 255, 235))
    if letters:
        font = QFont(painter.font())
        font.setPixelSize(int(rect.height() * 0.38))
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, letters)
    elif group:
        _person(painter, rect, QPointF(rect.width() * 0.16, 0), 0.72)
        _person(painter, rect, QPointF(-rect.width() * 0.14, rect.height() * 0.04), 0.82)
    else:
        _person(painter, rect, QPointF(0, 0), 1.0)
    painter.restore()


def _person(painter: QPainter, rect: QRectF, offset: QPointF, scale: float) -> None:
    """A head-and-shoulders silhouette clipped to the disc."""
    clip = QPainterPath()
    clip.addEllipse(rect)
    painter.setClipPath(clip)
    c = rect.center() + offset
    r = rect.width() / 2 * scale
    painter.drawEllipse(QPointF(c.x(), c.y() - r * 0.22), r * 0.32, r * 0.32)
    body = QRectF(c.x() - r * 0.62, c.y() + r * 0.22, r * 1.24, r * 1.1)
    painter.drawEllipse(body)
    painter.setClipping(False)
