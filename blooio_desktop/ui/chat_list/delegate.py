"""Paints one chat-list row: avatar, name, group glyph, snippet, time, unread badge, pin, protocol dot."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPainterPath
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from blooio_desktop.core.models import ChatListItem, Protocol
from blooio_desktop.ui.avatar import paint_avatar
from blooio_desktop.ui.chat_list.model import ChatRole, snippet
from blooio_desktop.ui.formatting import relative_time
from blooio_desktop.ui.theme import ThemeColors, colors_for

ROW_HEIGHT = 68
AVATAR = 44
PAD_X = 10
INNER = 12


class ChatListDelegate(QStyledItemDelegate):
    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        return QSize(option.rect.width() or 280, ROW_HEIGHT)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        item: ChatListItem | None = index.data(ChatRole.ITEM)
        if item is None:
            return
        colors = colors_for(option.palette)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        hovered = bool(option.state & QStyle.StateFlag.State_MouseOver)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(option.rect).adjusted(6, 2, -6, -2)
        if selected or hovered:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.q("accent") if selected else colors.q("separator"))
            painter.drawRoundedRect(card, 10, 10)

        avatar = QRectF(card.left() + PAD_X, card.center().y() - AVATAR / 2, AVATAR, AVATAR)
        paint_avatar(painter, avatar, item.chat.id, item.chat.title, group=item.chat.is_group)
        self._protocol_dot(painter, avatar, item.protocol, colors, selected)

        text_left = avatar.right() + INNER
        text_right = card.right() - PAD_X
        primary = QColor("white") if selected else colors.q("text")
        secondary = QColor(255, 255, 255, 210) if selected else colors.q("secondary")

        base = QFont(option.font)
        small = QFont(base)
        small.setPointSizeF(base.pointSizeF() * 0.9)
        title_font = QFont(base)
        title_font.setWeight(QFont.Weight.DemiBold)

        # Line 1: [group glyph] title …… time
        when = relative_time(item.chat.last_message_time)
        painter.setFont(small)
        time_w = QFontMetrics(small).horizontalAdvance(when)
        line1 = QRectF(text_left, card.top() + 12, text_right - text_left, 20)
        painter.setPen(secondary)
        painter.drawText(line1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
        title_left = text_left
        if item.pinned:
            self._pin(painter, QPointF(title_left + 5, line1.center().y()), secondary)
            title_left += 14
        if item.chat.is_group:
            self._people(painter, QPointF(title_left + 7, line1.center().y()), primary)
            title_left += 18
        painter.setFont(title_font)
        painter.setPen(primary)
        fm = QFontMetrics(title_font)
        title_w = line1.width() - (title_left - text_left) - time_w - 10
        title = fm.elidedText(item.chat.title, Qt.TextElideMode.ElideRight, int(title_w))
        painter.drawText(
            QRectF(title_left, line1.top(), title_w, line1.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            title,
        )

        # Line 2: snippet …… unread badge
        line2 = QRectF(text_left, line1.bottom() + 2, text_right - text_left, 20)
        badge_w = 0.0
        if item.unread_count and not item.muted:
            badge_w = self._badge(
                painter, line2, str(min(item.unread_count, 999)), colors, selected
            )
        painter.setFont(base)
        painter.setPen(secondary)
        text = snippet(item)
        if item.draft:
            painter.setPen(QColor("white") if selected else colors.q("danger"))
        snippet_w = line2.width() - badge_w - (8 if badge_w else 0)
        elided = QFontMetrics(base).elidedText(text, Qt.TextElideMode.ElideRight, int(snippet_w))
        painter.drawText(
            QRectF(line2.left(), line2.top(), snippet_w, line2.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            elided,
        )
        painter.restore()

    @staticmethod
    def _badge(
        painter: QPainter, line: QRectF, text: str, colors: ThemeColors, selected: bool
    ) -> float:
        font = QFont(painter.font())
        font.setPointSizeF(font.pointSizeF() * 0.85)
        font.setWeight(QFont.Weight.Bold)
        width = max(20.0, QFontMetrics(font).horizontalAdvance(text) + 12.0)
        rect = QRectF(line.right() - width, line.center().y() - 10, width, 20)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("white") if selected else colors.q("badge"))
        painter.drawRoundedRect(rect, 10, 10)
        painter.setFont(font)
        painter.setPen(colors.q("accent") if selected else QColor("white"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)
        return width

    @staticmethod
    def _protocol_dot(
        painter: QPainter, avatar: QRectF, protocol: Protocol, colors: ThemeColors, selected: bool
    ) -> None:
        """Blue dot for iMessage, green for SMS/RCS; nothing while the protocol is unknown."""
        if protocol == Protocol.IMESSAGE:
            fill = colors.q("bubble_imessage")
        elif protocol in (Protocol.SMS, Protocol.RCS, Protocol.NON_IMESSAGE):
            fill = colors.q("bubble_sms")
        else:
            return
        ring = colors.q("accent") if selected else colors.q("sidebar")
        center = QPointF(avatar.right() - 6, avatar.bottom() - 6)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(ring)
        painter.drawEllipse(center, 7, 7)
        painter.setBrush(fill)
        painter.drawEllipse(center, 5, 5)

    @staticmethod
    def _people(painter: QPainter, center: QPointF, color: QColor) -> None:
        """A tiny two-person glyph marking group chats."""
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        for dx, scale in ((3.5, 0.8), (-2.5, 1.0)):
            x = center.x() + dx
            painter.drawEllipse(QPointF(x, center.y() - 3 * scale), 2.4 * scale, 2.4 * scale)
            painter.drawPie(
                QRectF(x - 4.5 * scale, center.y() + 0.5, 9 * scale, 9 * scale), 0, 180 * 16
            )

    @staticmethod
    def _pin(painter: QPainter, center: QPointF, color: QColor) -> None:
        path = QPainterPath()
        path.addEllipse(QPointF(center.x(), center.y() - 3), 3.5, 3.5)
        path.moveTo(center.x() - 1, center.y())
        path.lineTo(center.x(), center.y() + 6)
        path.lineTo(center.x() + 1, center.y())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(color)
        painter.drawPath(path)
