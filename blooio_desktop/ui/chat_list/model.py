"""`ChatListModel`: the sidebar's rows (pinned first, then recent), updated row by row.

Every refresh diffs the new list against the rows shown and emits the smallest set of
insert / move / remove / dataChanged signals, so selection and scroll position survive live updates
and one new message never resets the model.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import ChatListItem, Direction
from blooio_desktop.ui.formatting import relative_time

Index = QModelIndex | QPersistentModelIndex


class ChatItemSource(Protocol):
    """What the model reads: the store's chat repository."""

    def list_chat_items(
        self, number: str | None = None, query: str | None = None
    ) -> list[ChatListItem]: ...


class ChatRole(IntEnum):
    ITEM = Qt.ItemDataRole.UserRole + 1
    CHAT_ID = Qt.ItemDataRole.UserRole + 2
    UNREAD = Qt.ItemDataRole.UserRole + 3


def snippet(item: ChatListItem) -> str:
    """The second line of a row: the draft if any, else the last message (attachments named)."""
    if item.draft:
        return f"Draft: {item.draft}"
    last = item.chat.last_message
    if last is None:
        return ""
    text = (last.text or "").replace("\n", " ").strip() or "Attachment"
    return f"You: {text}" if last.direction == Direction.OUTBOUND else text


class ChatListModel(QAbstractListModel):
    def __init__(self, source: ChatItemSource, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._items: list[ChatListItem] = []
        self._query: str | None = None
        self._number: str | None = None

    # --- Qt model API ---------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._items):
            return None
        item = self._items[index.row()]
        if role == ChatRole.ITEM:
            return item
        if role == ChatRole.CHAT_ID:
            return item.chat.id
        if role == ChatRole.UNREAD:
            return item.unread_count
        if role == Qt.ItemDataRole.DisplayRole:
            return item.chat.title
        if role == Qt.ItemDataRole.ToolTipRole:
            return item.chat.id if item.chat.title != item.chat.id else None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(item)
        return None

    def roleNames(self) -> dict[int, QByteArray]:
        names = dict(super().roleNames())
        names.update(
            {
                ChatRole.ITEM: QByteArray(b"item"),
                ChatRole.CHAT_ID: QByteArray(b"chatId"),
                ChatRole.UNREAD: QByteArray(b"unread"),
            }
        )
        return names

    # --- public API ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the list from the store and apply the difference."""
        self._apply(self._source.list_chat_items(number=self._number, query=self._query))

    def set_query(self, query: str | None) -> None:
        """Filter by name or number as the user types."""
        self._query = (query or "").strip() or None
        self.refresh()

    def set_number(self, number: str | None) -> None:
        """Only chats that use this sending number (None: all)."""
        self._number = number or None
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        """Bridge slot: refresh when a chat, a message or a draft changed."""
        if (
            changes.chats
            or changes.inserted_messages
            or changes.updated_messages
            or changes.removed_messages
        ):
            self.refresh()

    def row_of(self, chat_id: str) -> int:
        return next((i for i, it in enumerate(self._items) if it.chat.id == chat_id), -1)

    def item(self, row: int) -> ChatListItem:
        return self._items[row]

    def total_unread(self) -> int:
        return sum(it.unread_count for it in self._items if not it.muted)

    # --- diffing ----------------------------------------------------------------------------
    def _apply(self, new_items: list[ChatListItem]) -> None:
        wanted = {it.chat.id for it in new_items}
        root = QModelIndex()
        for row in reversed(range(len(self._items))):
            if self._items[row].chat.id not in wanted:
                self.beginRemoveRows(root, row, row)
                del self._items[row]
                self.endRemoveRows()
        for target, item in enumerate(new_items):
            current = self.row_of(item.chat.id)
            if current < 0:
                self.beginInsertRows(root, target, target)
                self._items.insert(target, item)
                self.endInsertRows()
                continue
            if current != target:  # rows before `target` are already in place, so current > target
                self.beginMoveRows(root, current, current, root, target)
                self._items.insert(target, self._items.pop(current))
                self.endMoveRows()
            if self._items[target] != item:
                self._items[target] = item
                idx = self.index(target, 0)
                self.dataChanged.emit(idx, idx, [])

    @staticmethod
    def _accessible_text(item: ChatListItem) -> str:
        parts = [item.chat.title]
        if item.pinned:
            parts.append("pinned")
        if item.unread_count:
            parts.append(f"{item.unread_count} unread")
        text = snippet(item)
        if text:
            parts.append(text)
        when = relative_time(item.chat.last_message_time)
        if when:
            parts.append(when)
        return ", ".join(parts)
