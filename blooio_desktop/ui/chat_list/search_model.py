"""`SearchHitsModel`: full-text message hits shown under the chats while searching, and their delegate."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from blooio_desktop.core.models import SearchHit
from blooio_desktop.ui.formatting import relative_time
from blooio_desktop.ui.theme import colors_for

Index = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2
_MARKUP = re.compile(r"</?b>|\[|\]|\x02|\x03")


class HitSource(Protocol):
    def search(
        self, query: str, chat_id: str | None = None, limit: int = 50
    ) -> list[SearchHit]: ...


def plain_snippet(hit: SearchHit) -> str:
    text = hit.snippet or hit.message.text or ""
    return _MARKUP.sub("", text).replace("\n", " ").strip()


class SearchHitsModel(QAbstractListModel):
    """Rows are `SearchHit`s; `chat_title` names the chat each hit belongs to."""

    def __init__(
        self, source: HitSource, chat_title: Callable[[str], str], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._chat_title = chat_title
        self._hits: list[SearchHit] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == HIT_ROLE:
            return hit
        if role == TITLE_ROLE:
            return self._chat_title(hit.message.chat_id)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{self._chat_title(hit.message.chat_id)}: {plain_snippet(hit)}"
        return None

    def search(self, query: str) -> None:
        """Replace the hits for a new query (a whole new result set is a reset, by nature)."""
        query = query.strip()
        hits = self._source.search(query, limit=50) if query else []
        self.beginResetModel()
        self._hits = hits
        self.endResetModel()


class SearchHitDelegate(QStyledItemDelegate):
    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(option.rect.width() or 280, 54)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        hit: SearchHit | None = index.data(HIT_ROLE)
        if hit is None:
            return
        colors = colors_for(option.palette)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = QRectF(option.rect).adjusted(6, 2, -6, -2)
        if selected or option.state & QStyle.StateFlag.State_MouseOver:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colors.q("accent") if selected else colors.q("separator"))
            painter.drawRoundedRect(card, 10, 10)
        primary = QColor("white") if selected else colors.q("text")
        secondary = QColor(255, 255, 255, 210) if selected else colors.q("secondary")
        inner = card.adjusted(14, 7, -12, -7)
        bold = QFont(option.font)
        bold.setWeight(QFont.Weight.DemiBold)
        when = relative_time(hit.message.time_sent)
        top = QRectF(inner.left(), inner.top(), inner.width(), inner.height() / 2)
        painter.setPen(secondary)
        painter.setFont(option.font)
        painter.drawText(top, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, when)
        painter.setFont(bold)
        painter.setPen(primary)
        title_w = top.width() - QFontMetrics(option.font).horizontalAdvance(when) - 8
        title = QFontMetrics(bold).elidedText(
            index.data(TITLE_ROLE) or "", Qt.TextElideMode.ElideRight, int(title_w)
        )
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        bottom = QRectF(inner.left(), top.bottom(), inner.width(), inner.height() / 2)
        painter.setFont(option.font)
        painter.setPen(secondary)
        text = QFontMetrics(option.font).elidedText(
            plain_snippet(hit), Qt.TextElideMode.ElideRight, int(bottom.width())
        )
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        painter.restore()
