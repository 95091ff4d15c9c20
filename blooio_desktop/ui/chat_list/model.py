"""`ChatListModel`: the sidebar's rows (pinned first, then recent), kept by chat id, filled lazily.

A (re)load reads the ordered ids (cheap) and only the first page of rows; Qt's `fetchMore` brings the
rest as the list scrolls. A `Changes` re-reads only the chats it touched and moves, updates, inserts
or removes just those rows, so selection and scroll position survive live updates and one new
message costs one small query, not a pass over 10k chats.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from enum import IntEnum
from itertools import islice
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
# Rows read per page: a few screenfuls. The first paint waits for the first page (~0.1 ms a row).
PAGE_SIZE = 50
BULK_CHANGE = 64  # touched chats above which one full re-read is cheaper than per-chat queries
RESET_CHANGE = 64  # rows entering/leaving above which a reload is a reset rather than a diff
SortKey = tuple[bool, int, str]


class ChatItemSource(Protocol):
    """What the model reads: the store's chat repository."""

    def list_chat_ids(self, number: str | None = None, query: str | None = None) -> list[str]: ...

    def get_items(
        self, chat_ids: Iterable[str], number: str | None = None, query: str | None = None
    ) -> dict[str, ChatListItem]: ...


def sort_key(item: ChatListItem) -> SortKey:
    """The store's list order: pinned first, newest activity first, then by id."""
    return (not item.pinned, -(item.chat.last_message_time or 0), item.chat.id)


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
    def __init__(
        self, source: ChatItemSource, parent: QObject | None = None, page_size: int = PAGE_SIZE
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._page_size = page_size
        self._items: list[ChatListItem] = []
        self._rows: dict[str, int] = {}  # chat id → row, for every loaded row
        self._pending: dict[str, None] = {}  # ids below the loaded rows, in list order
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

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and bool(self._pending)

    def fetchMore(self, parent: Index) -> None:
        """The next page of rows, appended in list order."""
        if self.canFetchMore(parent):
            self._load_pending(self._page_size)

    # --- public API ---------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the list from the store (as many rows as are loaded) and apply the difference."""
        ids = self._source.list_chat_ids(number=self._number, query=self._query)
        loaded = max(len(self._items), self._page_size)
        fresh = self._fetch(ids[:loaded])
        self._pending = dict.fromkeys(ids[loaded:])
        self._apply([fresh[chat_id] for chat_id in ids[:loaded] if chat_id in fresh])

    def set_query(self, query: str | None) -> None:
        """Filter by name or number as the user types."""
        self._query = (query or "").strip() or None
        self.refresh()

    def set_number(self, number: str | None) -> None:
        """Only chats that use this sending number (None: all)."""
        self._number = number or None
        self.refresh()

    def on_changes(self, changes: Changes) -> None:
        """Bridge slot: re-read only the chats a change touched and move / update their rows."""
        touched = set(changes.chats)
        for messages in (
            changes.inserted_messages,
            changes.updated_messages,
            changes.removed_messages,
        ):
            touched.update(chat_id for chat_id, _ in messages)
        if not touched:
            return
        if len(touched) > BULK_CHANGE:  # a sync: one read of the list beats thousands of lookups
            self.refresh()
            return
        fresh = self._fetch(touched)
        for chat_id in sorted(touched):
            item = fresh.get(chat_id)
            if item is None:
                self._drop(chat_id)
            else:
                self._place(item)

    def row_of(self, chat_id: str) -> int:
        """The row of a chat, loading the rows down to it if needed (in one read); -1 if the list
        lacks it."""
        if chat_id not in self._rows and chat_id in self._pending:
            self._load_pending(list(self._pending).index(chat_id) + 1)
        return self._rows.get(chat_id, -1)

    def item(self, row: int) -> ChatListItem:
        return self._items[row]

    # --- row edits ------------------------------------------------------------------------------
    def _load_pending(self, count: int) -> None:
        """Append the next `count` rows not loaded yet, in list order."""
        ids = list(islice(self._pending, count))
        for chat_id in ids:
            del self._pending[chat_id]
        fresh = self._fetch(ids)
        page = sorted((it for it in fresh.values() if it.chat.id not in self._rows), key=sort_key)
        if not page:
            return
        first = len(self._items)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._items.extend(page)
        self._reindex(first)
        self.endInsertRows()

    def _fetch(self, chat_ids: Iterable[str]) -> dict[str, ChatListItem]:
        return self._source.get_items(chat_ids, number=self._number, query=self._query)

    def _reindex(self, first: int, last: int | None = None) -> None:
        stop = len(self._items) if last is None else last + 1
        for row in range(first, stop):
            self._rows[self._items[row].chat.id] = row

    def _apply(self, new_items: list[ChatListItem]) -> None:
        """Show `new_items`: a reset when most rows change (first load, a new filter), else a diff."""
        wanted = {it.chat.id: it for it in new_items}
        gone = [chat_id for chat_id in self._rows if chat_id not in wanted]
        added = sum(1 for chat_id in wanted if chat_id not in self._rows)
        if not self._items or len(gone) + added > RESET_CHANGE:
            self.beginResetModel()
            self._items = list(new_items)
            self._rows = {}
            self._reindex(0)
            self.endResetModel()
            return
        for chat_id in gone:
            self._remove_row(self._rows[chat_id])
        for target, item in enumerate(new_items):
            current = self._rows.get(item.chat.id, -1)
            if current < 0:
                self._insert_row(target, item)
                continue
            if current != target:  # rows before `target` are already in place, so current > target
                self._move_row(current, target)
            self._update_row(target, item)

    def _place(self, item: ChatListItem) -> None:
        """Put a re-read chat where the list order wants it (a move, an insert or just an update)."""
        chat_id = item.chat.id
        key = sort_key(item)
        current = self._rows.get(chat_id, -1)
        target = bisect_left(self._items, key, key=sort_key)
        if current >= 0 and target > current:
            target -= 1  # the row itself is counted before its new place
        others = len(self._items) - (1 if current >= 0 else 0)
        if self._pending and target >= others:  # after every loaded row: the part not loaded yet
            self._drop(chat_id)
            self._pending = {chat_id: None, **self._pending}
            return
        if current < 0:
            self._pending.pop(chat_id, None)
            self._insert_row(target, item)
            return
        if current != target:
            self._move_row(current, target)
        self._update_row(target, item)

    def _drop(self, chat_id: str) -> None:
        self._pending.pop(chat_id, None)
        row = self._rows.get(chat_id, -1)
        if row >= 0:
            self._remove_row(row)

    def _insert_row(self, row: int, item: ChatListItem) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._items.insert(row, item)
        self._reindex(row)
        self.endInsertRows()

    def _remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[self._items.pop(row).chat.id]
        self._reindex(row)
        self.endRemoveRows()

    def _move_row(self, current: int, target: int) -> None:
        root = QModelIndex()
        self.beginMoveRows(root, current, current, root, target if target < current else target + 1)
        self._items.insert(target, self._items.pop(current))
        self._reindex(min(current, target), max(current, target))
        self.endMoveRows()

    def _update_row(self, row: int, item: ChatListItem) -> None:
        if self._items[row] != item:
            self._items[row] = item
            idx = self.index(row, 0)
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
