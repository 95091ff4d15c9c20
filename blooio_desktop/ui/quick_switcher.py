"""Ctrl+K: a small popup that fuzzy-filters the chats by name or handle and jumps to one.

The popup is keyboard-first: type, Up/Down to move, Enter to open, Esc to close. It reads the chat
list once from the store when it is built (the same order as the sidebar: pinned, then recent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QLineEdit, QListView, QVBoxLayout, QWidget

from blooio_desktop.core.models import ChatListItem
from blooio_desktop.store import ChatRepository
from blooio_desktop.ui.context import AppContext

ChatIdRole = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def fuzzy_score(query: str, text: str) -> int | None:
    """Score how well `query` matches `text` as a subsequence (higher is better), None if it does not.

    Each word of the query prefers to start at a word start of the text, and consecutive characters
    score extra, so "jo ap" ranks "John Appleseed" above "Joanna's laptop".
    """
    if not query.strip():
        return 0
    hay = text.lower()
    score = 0
    pos = -1
    for word in query.lower().split():
        for i, ch in enumerate(word):
            found = _word_start_after(hay, ch, pos) if i == 0 else -1
            if found < 0:
                found = hay.find(ch, pos + 1)
            if found < 0:
                return None
            at_word_start = found == 0 or not hay[found - 1].isalnum()
            score += 1 + (2 if pos >= 0 and found == pos + 1 else 0) + (3 if at_word_start else 0)
            pos = found
    return score * 100 - len(hay)


def _word_start_after(hay: str, ch: str, pos: int) -> int:
    found = hay.find(ch, pos + 1)
    while found > 0 and hay[found - 1].isalnum():
        found = hay.find(ch, found + 1)
    return found


@dataclass(frozen=True, slots=True)
class SwitcherRow:
    chat_id: str
    title: str
    subtitle: str
    score: int


class SwitcherModel(QAbstractListModel):
    """The chats matching the current query, best first."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._items: list[ChatListItem] = []
        self._rows: list[SwitcherRow] = []
        self._query = ""

    def set_items(self, items: Sequence[ChatListItem]) -> None:
        self._items = list(items)
        self._refilter()

    def set_query(self, query: str) -> None:
        self._query = query.strip()
        self._refilter()

    def _refilter(self) -> None:
        rows: list[SwitcherRow] = []
        for item in self._items:
            chat = item.chat
            subtitle = chat.id if chat.title != chat.id else ""
            score = fuzzy_score(self._query, f"{chat.title} {subtitle}")
            if score is not None:
                rows.append(SwitcherRow(chat.id, chat.title, subtitle, score))
        if self._query:
            rows.sort(key=lambda r: -r.score)  # stable: ties keep the chat-list order
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{row.title}    {row.subtitle}" if row.subtitle else row.title
        if role in (ChatIdRole, Qt.ItemDataRole.ToolTipRole):
            return row.chat_id
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return row.title
        return None


class QuickSwitcher(QDialog):
    """Fuzzy chat finder; emits `chat_chosen(chat_id)` and closes."""

    chat_chosen = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Go to chat")
        self.setModal(True)
        self.resize(420, 360)
        self.model = SwitcherModel(self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText("Go to chat…")
        self.search.setAccessibleName("Chat name or number")
        self.search.setClearButtonEnabled(True)
        self.list = QListView(self)
        self.list.setModel(self.model)
        self.list.setAccessibleName("Matching chats")
        self.list.setUniformItemSizes(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        self.search.textChanged.connect(self._on_query)
        self.search.returnPressed.connect(self.choose_current)
        self.search.installEventFilter(self)
        self.list.activated.connect(lambda _index: self.choose_current())
        self.model.set_items(ChatRepository(context.db.read()).list_chat_items())
        self._select_row(0)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.search.setFocus()

    def _on_query(self, text: str) -> None:
        self.model.set_query(text)
        self._select_row(0)

    def _select_row(self, row: int) -> None:
        if self.model.rowCount() == 0:
            return
        row = max(0, min(row, self.model.rowCount() - 1))
        self.list.setCurrentIndex(self.model.index(row, 0))

    def choose_current(self) -> None:
        index = self.list.currentIndex()
        if not index.isValid():
            return
        self.chat_chosen.emit(index.data(ChatIdRole))
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down in the search box move the selection, so the hands never leave the keys."""
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            step = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}.get(Qt.Key(event.key()))
            if step is not None:
                self._select_row(self.list.currentIndex().row() + step)
                return True
        return super().eventFilter(watched, event)
