"""Paints message bubbles: day separators, sender names, text with links, attachment cards,
time and status ticks, tapback pills, and the "Not delivered · Retry" line."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from blooio_desktop.core.models import Attachment, Direction, Message
from blooio_desktop.ui.formatting import clock, day_label, human_size, reaction_glyph
from blooio_desktop.ui.theme import ThemeColors, colors_for
from blooio_desktop.ui.thread.glyphs import paint_failed, paint_status, rounded_path
from blooio_desktop.ui.thread.layout import CARD_H, BubbleLayout, LayoutEngine, Thumbs, is_sms
from blooio_desktop.ui.thread.model import MsgRole, RowShape

Index = QModelIndex | QPersistentModelIndex
RADIUS, TIGHT = 17.0, 5.0


def _kind(attachment: Attachment) -> str:
    """A short type label for a card: from the MIME type, else the URL's extension."""
    if attachment.mime_type:
        return attachment.mime_type.split(";")[0]
    name = (attachment.name or attachment.url.split("?")[0]).rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].upper() if "." in name else "Link"


class BubbleDelegate(QStyledItemDelegate):
    """Sizes are cached per message: Qt's list view asks every row's size again whenever rows are
    inserted (a page of history, a new message), and only rows whose shape changed need measuring."""

    def __init__(self, parent: QWidget | None = None, thumbnails: Thumbs | None = None) -> None:
        super().__init__(parent)
        self.engine = LayoutEngine(thumbnails)
        self._sizes: dict[str, tuple[RowShape, int]] = {}  # message id → (shape, height)
        self._sized_for: tuple[int, str] = (0, "")  # (width, font key) the cached heights are for

    def forget_sizes(self, message_ids: Iterable[str] | None = None) -> None:
        """These rows (None: every row) must be measured again, or are gone."""
        if message_ids is None:
            self._sizes.clear()
        for message_id in message_ids or ():
            self._sizes.pop(message_id, None)

    # --- geometry ---------------------------------------------------------------------------
    def row_layout(self, option: QStyleOptionViewItem, index: Index) -> BubbleLayout | None:
        shape: RowShape | None = index.data(MsgRole.SHAPE)
        return self._layout(option, shape) if shape is not None else None

    def _layout(self, option: QStyleOptionViewItem, shape: RowShape) -> BubbleLayout:
        colors = colors_for(option.palette)
        outbound = shape.message.direction == Direction.OUTBOUND
        link = "#ffffff" if outbound else colors.accent
        return self.engine.layout(
            QRectF(option.rect),
            shape.message,
            option.font,
            show_day=shape.show_day,
            group_start=shape.group_start,
            group_end=shape.group_end,
            sender=shape.sender_label,
            link_color=link,
        )

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        """Height for the view's current width (the option's rect may still hold an old width)."""
        shape: RowShape | None = index.data(MsgRole.SHAPE)
        if shape is None:
            return QSize(0, 0)
        view = self.parent()
        width = (
            view.viewport().width() if isinstance(view, QAbstractItemView) else option.rect.width()
        )
        width = max(width, 200)
        geometry = (width, option.font.key())
        if geometry != self._sized_for:  # resized or restyled: every height may differ
            self._sizes.clear()
            self._sized_for = geometry
        cached = self._sizes.get(shape.message.message_id)
        if cached is not None and cached[0] == shape:
            return QSize(width, cached[1])
        opt = QStyleOptionViewItem(option)
        opt.rect = QRect(0, 0, width, 0)
        height = int(self._layout(opt, shape).height)
        self._sizes[shape.message.message_id] = (shape, height)
        return QSize(width, height)

    def hit(
        self, option: QStyleOptionViewItem, index: Index, pos: QPointF
    ) -> tuple[str, str] | None:
        """What a click at `pos` means: ("link", url), ("attachment", url), ("retry", id)."""
        lay = self.row_layout(option, index)
        message: Message | None = index.data(MsgRole.MESSAGE)
        if lay is None or message is None:
            return None
        if lay.retry is not None and lay.retry.contains(pos):
            return ("retry", message.message_id)
        for rect, attachment in lay.cards:
            if rect.contains(pos):
                return ("attachment", attachment.url)
        if lay.doc is not None:
            anchor = lay.doc.documentLayout().anchorAt(pos - lay.text_at)
            if anchor:
                return ("link", anchor)
        return None

    # --- painting ---------------------------------------------------------------------------
    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        lay = self.row_layout(option, index)
        message: Message | None = index.data(MsgRole.MESSAGE)
        if lay is None or message is None:
            return
        colors = colors_for(option.palette)
        outbound = message.direction == Direction.OUTBOUND
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.8)
        if lay.day is not None:
            self._day(painter, lay.day, day_label(message.time_sent), small, colors)
        if lay.sender is not None:
            painter.setFont(small)
            painter.setPen(colors.q("secondary"))
            painter.drawText(
                lay.sender,
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                index.data(MsgRole.SENDER_LABEL),
            )

        if outbound:
            fill = colors.q("bubble_sms") if is_sms(message) else colors.q("bubble_imessage")
            ink = colors.q("bubble_out_text")
        else:
            fill, ink = colors.q("bubble_in"), colors.q("bubble_in_text")
        start, end = bool(index.data(MsgRole.GROUP_START)), bool(index.data(MsgRole.GROUP_END))
        top_side = RADIUS if start else TIGHT
        bottom_side = RADIUS if end else TIGHT
        path = (
            rounded_path(lay.bubble, RADIUS, top_side, bottom_side, RADIUS)
            if outbound
            else rounded_path(lay.bubble, top_side, RADIUS, RADIUS, bottom_side)
        )
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawPath(path)
        if option.state & QStyle.StateFlag.State_HasFocus:  # the message the keyboard acts on
            painter.setPen(QPen(colors.q("accent"), 2))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(lay.bubble.adjusted(-3, -3, 3, 3), RADIUS + 3, RADIUS + 3)

        if lay.doc is not None:
            painter.save()
            painter.translate(lay.text_at)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(QPalette.ColorRole.Text, ink)
            lay.doc.documentLayout().draw(painter, context)
            painter.restore()
        for rect, attachment in lay.cards:
            self._card(painter, rect, attachment, ink, option.font, small)

        meta_ink = QColor(ink)
        meta_ink.setAlpha(180)
        painter.setFont(small)
        painter.setPen(meta_ink)
        painter.drawText(
            lay.meta,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
            clock(message.time_sent),
        )
        if lay.status is not None:
            paint_status(painter, lay.status, message.status, colors)
        if lay.reactions is not None:
            self._reactions(painter, lay.reactions, message, colors, option.font)
        if lay.retry is not None:
            self._retry(painter, lay.retry, message, colors, small)
        painter.restore()

    @staticmethod
    def _day(painter: QPainter, rect: QRectF, text: str, font: QFont, colors: ThemeColors) -> None:
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        width = QFontMetricsF(bold).horizontalAdvance(text) + 20
        pill = QRectF(rect.center().x() - width / 2, rect.center().y() - 10, width, 20)
        painter.setPen(colors.q("secondary"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, text)

    def _card(
        self,
        painter: QPainter,
        rect: QRectF,
        attachment: Attachment,
        ink: QColor,
        font: QFont,
        small: QFont,
    ) -> None:
        """A thumbnail when one was fetched, else a file card: type badge, name, type · size."""
        painter.save()
        clip = QPainterPath()
        clip.addRoundedRect(rect, 10, 10)
        thumb = self.engine.thumbnail(attachment)
        if thumb is not None and not thumb.isNull() and rect.height() > CARD_H:
            painter.setClipPath(clip)
            painter.drawPixmap(rect.toRect(), thumb)
            painter.restore()
            return
        veil = QColor(ink)
        veil.setAlpha(28)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(veil)
        painter.drawPath(clip)
        icon = QRectF(rect.left() + 8, rect.top() + 8, 32, 32)
        badge = QColor(ink)
        badge.setAlpha(60)
        painter.setBrush(badge)
        painter.drawRoundedRect(icon, 7, 7)
        label = _kind(attachment)
        short = (label.split("/")[1] if "/" in label else label)[:4].upper()
        tiny = QFont(small)
        tiny.setPointSizeF(small.pointSizeF() * 0.85)
        tiny.setWeight(QFont.Weight.Bold)
        painter.setFont(tiny)
        painter.setPen(ink)
        painter.drawText(icon, Qt.AlignmentFlag.AlignCenter, short)
        text_x = icon.right() + 10
        width = rect.right() - text_x - 8
        name = (
            attachment.name
            or attachment.url.split("?")[0].rstrip("/").rsplit("/", 1)[-1]
            or attachment.url
        )
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        painter.setFont(bold)
        elided = QFontMetricsF(bold).elidedText(name, Qt.TextElideMode.ElideMiddle, width)
        left_v = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(QRectF(text_x, rect.top() + 5, width, 20), left_v, elided)
        faint = QColor(ink)
        faint.setAlpha(170)
        painter.setFont(small)
        painter.setPen(faint)
        detail = " · ".join(p for p in (label, human_size(attachment.size)) if p)
        painter.drawText(QRectF(text_x, rect.top() + 24, width, 18), left_v, detail)
        painter.restore()

    @staticmethod
    def _reactions(
        painter: QPainter, rect: QRectF, message: Message, colors: ThemeColors, font: QFont
    ) -> None:
        glyphs: list[str] = []
        for reaction in message.reactions:
            glyph = reaction_glyph(reaction.reaction)
            if reaction.is_added and glyph not in glyphs:
                glyphs.append(glyph)
        painter.save()
        painter.setPen(QColor(colors.window))
        painter.setBrush(
            colors.q("bubble_in")
            if message.direction == Direction.OUTBOUND
            else colors.q("surface")
        )
        painter.drawRoundedRect(rect, 12, 12)
        emoji = QFont(font)
        emoji.setPointSizeF(font.pointSizeF() * 0.95)
        painter.setFont(emoji)
        painter.setPen(colors.q("text"))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, " ".join(glyphs))
        painter.restore()

    @staticmethod
    def _retry(
        painter: QPainter, rect: QRectF, message: Message, colors: ThemeColors, font: QFont
    ) -> None:
        bold = QFont(font)
        bold.setWeight(QFont.Weight.DemiBold)
        reason = f"Not delivered{': ' + message.error if message.error else ''} · "
        fm, fm_bold = QFontMetricsF(font), QFontMetricsF(bold)
        retry_w = fm_bold.horizontalAdvance("Retry")
        reason = fm.elidedText(reason, Qt.TextElideMode.ElideMiddle, rect.width() * 0.6)
        reason_w = fm.horizontalAdvance(reason)
        x = rect.right() - retry_w
        painter.setFont(font)
        painter.setPen(colors.q("danger"))
        painter.drawText(
            QRectF(x - reason_w, rect.top(), reason_w, rect.height()),
            Qt.AlignmentFlag.AlignVCenter,
            reason,
        )
        painter.setFont(bold)
        painter.setPen(colors.q("accent"))
        painter.drawText(
            QRectF(x, rect.top(), retry_w, rect.height()), Qt.AlignmentFlag.AlignVCenter, "Retry"
        )
        paint_failed(painter, QPointF(x - reason_w - 12, rect.center().y()), colors, 6.0)
