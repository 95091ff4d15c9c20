"""Small vector glyphs painted next to bubbles: status ticks, the queued clock, the failed mark."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen

from blooio_desktop.core.status import MessageStatus
from blooio_desktop.ui.theme import ThemeColors

STATUS_WORDS: dict[MessageStatus, str] = {
    MessageStatus.PENDING: "Sending",
    MessageStatus.QUEUED: "Queued",
    MessageStatus.SENT: "Sent",
    MessageStatus.DELIVERED: "Delivered",
    MessageStatus.READ: "Read",
    MessageStatus.FAILED: "Not delivered",
    MessageStatus.CANCELLATION_REQUESTED: "Cancelling",
    MessageStatus.CANCELLED: "Cancelled",
}


def _check(path: QPainterPath, x: float, cy: float) -> None:
    path.moveTo(x, cy)
    path.lineTo(x + 3.2, cy + 3.2)
    path.lineTo(x + 9, cy - 3.8)


def paint_status(
    painter: QPainter, rect: QRectF, status: MessageStatus, colors: ThemeColors
) -> None:
    """✓ sent, ✓✓ delivered, blue ✓✓ read, a clock while queued, a red ! when failed."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    cy = rect.center().y()
    if status in (MessageStatus.FAILED, MessageStatus.CANCELLED):
        paint_failed(painter, QPointF(rect.center().x(), cy), colors)
    elif status.rank <= MessageStatus.QUEUED.rank:
        pen = QPen(colors.q("secondary"), 1.3)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        center = QPointF(rect.center().x(), cy)
        painter.drawEllipse(center, 5.5, 5.5)
        painter.drawLine(center, QPointF(center.x(), center.y() - 3.5))
        painter.drawLine(center, QPointF(center.x() + 2.5, center.y()))
    else:
        color = colors.q("read_tick") if status == MessageStatus.READ else colors.q("secondary")
        pen = QPen(
            color, 1.6, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin
        )
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath()
        x = rect.center().x() - 7
        _check(path, x, cy)
        if status.rank >= MessageStatus.DELIVERED.rank:
            _check(path, x + 5, cy)
        painter.drawPath(path)
    painter.restore()


def paint_failed(
    painter: QPainter, center: QPointF, colors: ThemeColors, radius: float = 8.0
) -> None:
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colors.q("danger"))
    painter.drawEllipse(center, radius, radius)
    font = QFont(painter.font())
    font.setPixelSize(int(radius * 1.5))
    font.setWeight(QFont.Weight.Bold)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    box = QRectF(center.x() - radius, center.y() - radius, radius * 2, radius * 2)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, "!")
    painter.restore()


def rounded_path(rect: QRectF, tl: float, tr: float, br: float, bl: float) -> QPainterPath:
    """A rectangle with its own radius per corner (bubbles in a run get tighter inner corners)."""
    path = QPainterPath()
    path.moveTo(rect.left() + tl, rect.top())
    path.lineTo(rect.right() - tr, rect.top())
    path.arcTo(QRectF(rect.right() - 2 * tr, rect.top(), 2 * tr, 2 * tr), 90, -90)
    path.lineTo(rect.right(), rect.bottom() - br)
    path.arcTo(QRectF(rect.right() - 2 * br, rect.bottom() - 2 * br, 2 * br, 2 * br), 0, -90)
    path.lineTo(rect.left() + bl, rect.bottom())
    path.arcTo(QRectF(rect.left(), rect.bottom() - 2 * bl, 2 * bl, 2 * bl), 270, -90)
    path.lineTo(rect.left(), rect.top() + tl)
    path.arcTo(QRectF(rect.left(), rect.top(), 2 * tl, 2 * tl), 180, -90)
    path.closeSubpath()
    return path
