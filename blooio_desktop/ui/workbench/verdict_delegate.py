"""Paints a delivery's signature verdict as a coloured pill, so a bad signature stands out at a glance."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from blooio_desktop.ui.workbench.model import VerdictRole
from blooio_desktop.webhook.signature import Verdict

VERDICT_COLORS: dict[str, str] = {
    Verdict.VALID: "#2fa84a",
    Verdict.LEGACY: "#0a9396",
    Verdict.INVALID: "#e5383b",
    Verdict.MALFORMED: "#e5383b",
    Verdict.MISSING: "#d1495b",
    Verdict.STALE: "#f08c00",
    Verdict.DUPLICATE: "#8e8e93",
}
_FALLBACK = "#6c6c70"


def verdict_color(verdict: str) -> QColor:
    return QColor(VERDICT_COLORS.get(verdict, _FALLBACK))


class VerdictBadgeDelegate(QStyledItemDelegate):
    """A rounded pill with the verdict in white; selection background is drawn as usual behind it."""

    PAD_X = 8
    PAD_Y = 2

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        verdict = index.data(VerdictRole)
        if not verdict:
            super().paint(painter, option, index)
            return
        style = option.widget.style() if option.widget else None
        if style is not None and option.state & QStyle.StateFlag.State_Selected:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, option.widget
            )
        metrics = QFontMetrics(option.font)
        text = str(verdict)
        width = metrics.horizontalAdvance(text) + 2 * self.PAD_X
        height = metrics.height() + 2 * self.PAD_Y
        rect = option.rect
        pill = QRectF(rect.left() + 4, rect.top() + (rect.height() - height) / 2, width, height)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(verdict_color(text))
        painter.drawRoundedRect(pill, height / 2, height / 2)
        painter.setPen(QColor("#ffffff"))
        painter.setFont(option.font)
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        base = super().sizeHint(option, index)
        metrics = QFontMetrics(option.font)
        text = str(index.data(VerdictRole) or "")
        return QSize(
            max(base.width(), metrics.horizontalAdvance(text) + 2 * self.PAD_X + 8),
            base.height() + 4,
        )
