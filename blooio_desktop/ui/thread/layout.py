"""Where everything in one thread row goes. Painting and click hit-testing share this one geometry."""

from __future__ import annotations

import html
import math
import re
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPixmap, QTextDocument, QTextOption

from blooio_desktop.core.models import Attachment, Direction, Message, Protocol

URL_RE = re.compile(r"(https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]])", re.IGNORECASE)
MARGIN = 16.0  # from the view's edges
PAD_H, PAD_V = 12.0, 7.0
STATUS_W = 24.0  # ticks column left of outbound bubbles
DAY_H, SENDER_H, REACTION_ROOM, RETRY_H = 38.0, 18.0, 14.0, 20.0
CARD_H, CARD_W, THUMB_MAX_H = 48.0, 250.0, 180.0
GAP_IN_RUN, GAP_AFTER_RUN, GAP_BEFORE_RUN = 2.0, 8.0, 4.0
MAX_DOCS = 300  # laid-out text documents kept: a few screenfuls

Thumbs = Callable[[str], QPixmap | None]
DocKey = tuple[str, str | None, int, str, str]  # message id, text, width, font, link colour


def linkify(text: str, link_color: str) -> str:
    """Escape text for rich text, turn URLs into links, keep line breaks."""
    out: list[str] = []
    pos = 0
    for match in URL_RE.finditer(text):
        out.append(html.escape(text[pos : match.start()]))
        url = match.group(1)
        out.append(
            f'<a href="{html.escape(url, quote=True)}" style="color:{link_color}">{html.escape(url)}</a>'
        )
        pos = match.end()
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def is_sms(message: Message) -> bool:
    return message.protocol in (Protocol.SMS, Protocol.RCS, Protocol.NON_IMESSAGE)


@dataclass
class BubbleLayout:
    height: float
    bubble: QRectF
    day: QRectF | None = None
    sender: QRectF | None = None
    doc: QTextDocument | None = None
    text_at: QPointF = field(default_factory=QPointF)
    meta: QRectF = field(default_factory=QRectF)
    status: QRectF | None = None
    cards: list[tuple[QRectF, Attachment]] = field(default_factory=list)
    reactions: QRectF | None = None
    retry: QRectF | None = None


class LayoutEngine:
    """Computes `BubbleLayout`s and keeps the text documents of the rows last laid out (an LRU: the
    documents are the expensive part, and only the rows on screen need theirs kept)."""

    def __init__(self, thumbnails: Thumbs | None = None, max_docs: int = MAX_DOCS) -> None:
        self._docs: OrderedDict[DocKey, QTextDocument] = OrderedDict()
        self._max_docs = max_docs
        self._thumbnails = thumbnails

    def thumbnail(self, attachment: Attachment) -> QPixmap | None:
        return self._thumbnails(attachment.url) if self._thumbnails else None

    def document(
        self, message: Message, font: QFont, width: float, link_color: str
    ) -> QTextDocument:
        key = (message.message_id, message.text, int(width), font.key(), link_color)
        doc = self._docs.get(key)
        if doc is not None:
            self._docs.move_to_end(key)
        else:
            while len(self._docs) >= self._max_docs:
                self._docs.popitem(last=False)
            doc = QTextDocument()
            doc.setDefaultFont(font)
            doc.setDocumentMargin(0)
            option = QTextOption()
            option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
            doc.setDefaultTextOption(option)
            doc.setHtml(linkify(message.text or "", link_color))
            doc.setTextWidth(width)
            doc.setTextWidth(min(width, math.ceil(doc.idealWidth()) + 1))
            self._docs[key] = doc
        return doc

    def layout(
        self,
        rect: QRectF,
        message: Message,
        font: QFont,
        *,
        show_day: bool,
        group_start: bool,
        group_end: bool,
        sender: str | None,
        link_color: str,
    ) -> BubbleLayout:
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.8)
        fm_small = QFontMetricsF(small)
        outbound = message.direction == Direction.OUTBOUND
        width = rect.width()
        y = rect.top()
        result = BubbleLayout(height=0.0, bubble=QRectF())
        if show_day:
            result.day = QRectF(rect.left(), y, width, DAY_H)
            y += DAY_H
        elif group_start:
            y += GAP_BEFORE_RUN
        if sender:
            result.sender = QRectF(rect.left() + MARGIN + PAD_H, y, width / 2, SENDER_H)
            y += SENDER_H
        active_reactions = [r for r in message.reactions if r.is_added]
        if active_reactions:
            y += REACTION_ROOM

        max_bubble = max(120.0, min(width * 0.68, 520.0))
        content_max = max_bubble - 2 * PAD_H
        meta_w = fm_small.horizontalAdvance("00:00") + 2
        meta_h = fm_small.height()
        content_w, content_h = 0.0, 0.0
        if message.text:
            doc = self.document(message, font, content_max, link_color)
            text_w, text_h = doc.size().width(), doc.size().height()
            one_line = text_h < QFontMetricsF(font).lineSpacing() * 1.6
            fits = one_line and text_w + 10 + meta_w <= content_max
            inline_meta = fits and not message.attachments  # with cards, the time goes after them
            own_line = not inline_meta and not message.attachments
            content_w = text_w + 10 + meta_w if inline_meta else max(text_w, meta_w)
            content_h = text_h + (meta_h if own_line else 0.0)
            result.doc = doc
        cards: list[tuple[float, float, Attachment]] = []
        for attachment in message.attachments:
            thumb = self.thumbnail(attachment)
            card_w = min(CARD_W, content_max)
            card_h = CARD_H
            if thumb is not None and not thumb.isNull() and thumb.width() > 0:
                card_h = min(THUMB_MAX_H, card_w * thumb.height() / thumb.width())
            gap = 6.0 if (content_h or cards) else 0.0
            cards.append((content_h + gap, card_h, attachment))
            content_h += gap + card_h
            content_w = max(content_w, card_w)
        if message.attachments:
            content_w = max(content_w, meta_w)
            content_h += meta_h + 2

        bubble_w = content_w + 2 * PAD_H
        bubble_h = max(content_h + 2 * PAD_V, 32.0)
        left = rect.right() - MARGIN - bubble_w if outbound else rect.left() + MARGIN
        result.bubble = QRectF(left, y, bubble_w, bubble_h)
        inner = result.bubble.adjusted(PAD_H, PAD_V, -PAD_H, -PAD_V)
        result.text_at = inner.topLeft()
        result.meta = QRectF(inner.right() - meta_w, inner.bottom() - meta_h, meta_w, meta_h)
        for top, height, attachment in cards:
            result.cards.append(
                (QRectF(inner.left(), inner.top() + top, inner.width(), height), attachment)
            )
        if outbound:
            result.status = QRectF(left - STATUS_W, result.bubble.bottom() - 18, STATUS_W, 18)
        if active_reactions:
            pill_w = 14.0 + 20.0 * len({r.reaction for r in active_reactions})
            pill_x = result.bubble.left() - 10 if outbound else result.bubble.right() - pill_w + 10
            result.reactions = QRectF(pill_x, result.bubble.top() - 16, pill_w, 24)
        y = result.bubble.bottom()
        if outbound and message.status.value in ("failed", "cancelled"):
            result.retry = QRectF(rect.left(), y + 2, rect.width() - MARGIN, RETRY_H - 2)
            y += RETRY_H
        y += GAP_AFTER_RUN if group_end else GAP_IN_RUN
        result.height = math.ceil(y - rect.top())
        return result
