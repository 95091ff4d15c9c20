"""`ThreadModel`: a sliding window over one chat's messages, oldest first, paged on demand.

Live `Changes` insert or update single rows; only the neighbours whose grouping depends on a new
row are re-announced. Qt's views call `fetchMore` whenever the last row is visible, which for a
thread (history at the TOP) is always, so `canFetchMore` is true only after the view asked for
older messages with `request_older()` (scrolled to the top, or the page does not fill the view).

The window holds at most `max_rows` plus one page: a page fetched at one end drops the overflow at
the other end (far from the reader), and `request_newer()` fetches it back when the reader returns,
so reading through 100k messages keeps memory flat. While the window does not reach the newest
message (`has_newer`), live messages past it are not inserted but announced with `newer_arrived`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from enum import IntEnum
from typing import Any, NamedTuple, Protocol

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import Direction, Message
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.ui.formatting import clock, same_day, within

Index = QModelIndex | QPersistentModelIndex
PAGE_SIZE = 50
MAX_ROWS = 1000  # rows kept once the reader is back at the newest messages (window: + one page)
GROUP_GAP = timedelta(minutes=5)
SortKey = tuple[int, str]  # the store's (sort_time, message_id): pages come in this order


class MessageSource(Protocol):
    """What the model reads: the store's message repository."""

    def page(self, chat_id: str, before: SortKey | None, limit: int) -> list[Message]: ...

    def page_after(self, chat_id: str, after: SortKey, limit: int) -> list[Message]: ...

    def get(self, message_id: str) -> Message | None: ...

    def sort_key(self, message_id: str) -> SortKey | None: ...


class MsgRole(IntEnum):
    MESSAGE = Qt.ItemDataRole.UserRole + 1
    MESSAGE_ID = Qt.ItemDataRole.UserRole + 2
    SHOW_DAY = Qt.ItemDataRole.UserRole + 3  # first message of its day: paint a day separator
    GROUP_START = Qt.ItemDataRole.UserRole + 4  # first of a run by the same sender
    GROUP_END = Qt.ItemDataRole.UserRole + 5  # last of a run by the same sender
    SENDER_LABEL = Qt.ItemDataRole.UserRole + 6  # group chats: who wrote this run (or None)
    SHAPE = Qt.ItemDataRole.UserRole + 7  # all of the above that a bubble's geometry needs, at once


class RowShape(NamedTuple):
    """What decides a row's geometry: the delegate reads it in one call and caches sizes by it."""

    message: Message
    show_day: bool
    group_start: bool
    group_end: bool
    sender_label: str | None


def _author(message: Message) -> tuple[Direction, str | None]:
    return (message.direction, message.sender if message.direction == Direction.INBOUND else None)


class ThreadModel(QAbstractListModel):
    older_loaded = Signal(int)  # rows prepended by fetchMore
    newer_arrived = Signal(object)  # a live Message past the window's newest end (not inserted)

    def __init__(
        self,
        source: MessageSource,
        parent: QObject | None = None,
        page_size: int = PAGE_SIZE,
        name_for: Callable[[str], str] = str,
        max_rows: int = MAX_ROWS,
    ) -> None:
        super().__init__(parent)
        self._source = source
        self._name_for = name_for  # sender handle → what group chats show above a run
        self._page_size = page_size
        self._max_rows = max_rows
        self._rows: list[Message] = []
        self._chat_id: str | None = None
        self._is_group = False
        self._has_older = False
        self._has_newer = False  # the window stops short of the newest message
        self._older_wanted = False
        self._keys: dict[str, SortKey] = {}

    @property
    def chat_id(self) -> str | None:
        return self._chat_id

    # --- Qt model API ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = index.row()
        message = self._rows[row]
        if role == MsgRole.MESSAGE:
            return message
        if role == MsgRole.MESSAGE_ID:
            return message.message_id
        if role == MsgRole.SHAPE:
            return self.shape(row)
        if role == MsgRole.SHOW_DAY:
            return self._shows_day(row)
        if role == MsgRole.GROUP_START:
            return self._starts_group(row)
        if role == MsgRole.GROUP_END:
            return self._ends_group(row)
        if role == MsgRole.SENDER_LABEL:
            return self._sender_label(row)
        if role == Qt.ItemDataRole.DisplayRole:
            return message.text or ""
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return self._accessible_text(message)
        return None

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._has_older and self._older_wanted

    def fetchMore(self, parent: Index) -> None:
        if not self.canFetchMore(parent) or self._chat_id is None:
            return
        self._older_wanted = False
        before = self._key(self._rows[0].message_id) if self._rows else None
        page = self._source.page(self._chat_id, before=before, limit=self._page_size + 1)
        self._has_older = len(page) > self._page_size  # one row more than shown: exact, no probe
        older = list(reversed(page[: self._page_size]))
        known = {m.message_id for m in self._rows}
        older = [m for m in older if m.message_id not in known]
        if not older:
            return
        self.beginInsertRows(QModelIndex(), 0, len(older) - 1)
        self._rows[:0] = older
        self.endInsertRows()
        self._announce(len(older))  # the old first row may lose its day separator / group start
        self._drop_newest(len(self._rows) - self._max_rows - self._page_size)
        self.older_loaded.emit(len(older))

    # --- public API --------------------------------------------------------------------------
    def load(self, chat_id: str | None, *, is_group: bool = False) -> None:
        """Show another chat (a reset, by nature) with its newest page."""
        self.beginResetModel()
        self._chat_id = chat_id
        self._is_group = is_group
        self._rows = []
        self._keys = {}
        self._older_wanted = False
        self._has_newer = False
        if chat_id is not None:
            page = self._source.page(chat_id, before=None, limit=self._page_size + 1)
            self._rows = list(reversed(page[: self._page_size]))
            self._has_older = len(page) > self._page_size
        else:
            self._has_older = False
        self.endResetModel()

    def request_older(self) -> bool:
        """The view reached the top: allow (and perform) one fetchMore. Returns True if rows came."""
        self._older_wanted = True
        first = self._rows[0] if self._rows else None
        if self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        self._older_wanted = False
        return bool(self._rows) and self._rows[0] is not first

    def request_newer(self) -> bool:
        """The view reached the bottom of a window that stops short of the newest message: append
        the next newer page (forgetting the overflow at the top). Returns True if rows came."""
        if not self._has_newer or self._chat_id is None or not self._rows:
            return False
        after = self._key(self._rows[-1].message_id)
        page = self._source.page_after(self._chat_id, after=after, limit=self._page_size + 1)
        self._has_newer = len(page) > self._page_size
        newer = page[: self._page_size]
        known = {m.message_id for m in self._rows}
        newer = [m for m in newer if m.message_id not in known]
        if newer:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(newer) - 1)
            self._rows.extend(newer)
            self.endInsertRows()
            self._announce(first - 1)  # the old last row may no longer end its group
            self._drop_oldest(len(self._rows) - self._max_rows - self._page_size)
        return bool(newer)

    def load_newest(self) -> None:
        """Jump to the newest messages: a window far up is replaced by the newest page."""
        self.load(self._chat_id, is_group=self._is_group)

    def trim(self) -> None:
        """The reader is back at the newest messages: forget the oldest rows beyond `max_rows`
        (scrolling up fetches them again), so a long trip through history is not kept in memory."""
        self._drop_oldest(len(self._rows) - self._max_rows)

    @property
    def has_older(self) -> bool:
        return self._has_older

    @property
    def has_newer(self) -> bool:
        """True while the window stops short of the newest message (the reader is far up)."""
        return self._has_newer

    def row_of(self, message_id: str) -> int:
        return next((i for i, m in enumerate(self._rows) if m.message_id == message_id), -1)

    def message(self, row: int) -> Message:
        return self._rows[row]

    def last_message(self) -> Message | None:
        return self._rows[-1] if self._rows else None

    def load_until(self, message_id: str) -> int:
        """Fetch older pages until `message_id` is loaded (search jumps); returns its row or -1.
        A message newer than a window far up is looked for from the newest page down."""
        if self._has_newer and self._rows and self.row_of(message_id) < 0:
            key = self._source.sort_key(message_id)
            if key is not None and key > self._key(self._rows[-1].message_id):
                self.load_newest()
        while self.row_of(message_id) < 0 and self._has_older:
            if not self.request_older():
                break
        return self.row_of(message_id)

    def on_changes(self, changes: Changes) -> None:
        """Bridge slot: apply only what touched this chat, row by row."""
        if self._chat_id is None:
            return
        mine = self._chat_id
        inserted = [mid for chat, mid in changes.inserted_messages if chat == mine]
        removed = [mid for chat, mid in changes.removed_messages if chat == mine]
        for message_id in removed:
            if not self._swap(message_id, inserted):
                self._remove(message_id)
        new = set(inserted) if not removed else set()  # a rename re-inserts: not a new message
        for message_id in (*inserted, *(m for c, m in changes.updated_messages if c == mine)):
            message = self._source.get(message_id)
            if message is not None and message.chat_id == mine:
                self._upsert(message, new=message_id in new)

    # --- row edits --------------------------------------------------------------------------
    def _swap(self, old_id: str, inserted: list[str]) -> bool:
        """A local message got its server id (same sort time): replace the row in place."""
        row = self.row_of(old_id)
        if row < 0:
            return False
        old_key = self._key(old_id)
        for new_id in inserted:
            new_key = self._source.sort_key(new_id)
            if self.row_of(new_id) < 0 and new_key is not None and new_key[0] == old_key[0]:
                message = self._source.get(new_id)
                if message is None:
                    return False
                self._keys.pop(old_id, None)
                self._keys[new_id] = new_key
                self._rows[row] = message
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx, [])
                return True
        return False

    def _upsert(self, message: Message, *, new: bool = False) -> None:
        row = self.row_of(message.message_id)
        key = self._source.sort_key(message.message_id)
        if row >= 0:
            if key is None or self._keys.setdefault(message.message_id, key) == key:
                if self._rows[row] != message:
                    self._rows[row] = message
                    idx = self.index(row, 0)
                    self.dataChanged.emit(idx, idx, [])
                return
            self._remove(message.message_id)  # its place changed: re-insert it where it belongs
        if key is None:
            return
        self._keys[message.message_id] = key
        row = len(self._rows)
        while row > 0 and self._key(self._rows[row - 1].message_id) > key:
            row -= 1
        if row == 0 and self._has_older and self._rows:
            return  # older than everything loaded: fetchMore will bring it in order
        if row == len(self._rows) and self._has_newer and self._rows:
            if new:  # past the window: request_newer brings it in order; the view counts it
                self.newer_arrived.emit(message)
            return
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, message)
        self.endInsertRows()
        self._announce(row - 1, row + 1)

    def _key(self, message_id: str) -> SortKey:
        key = self._keys.get(message_id)
        if key is None:
            key = self._source.sort_key(message_id) or (0, message_id)
            self._keys[message_id] = key
        return key

    def _drop_oldest(self, count: int) -> None:
        """Forget the first `count` rows (the reader is far below them)."""
        if count <= 0:
            return
        self.beginRemoveRows(QModelIndex(), 0, count - 1)
        for message in self._rows[:count]:
            self._keys.pop(message.message_id, None)
        del self._rows[:count]
        self._has_older = True
        self.endRemoveRows()
        self._announce(0)  # the new first row now opens its day

    def _drop_newest(self, count: int) -> None:
        """Forget the last `count` rows (the reader is far above them)."""
        if count <= 0:
            return
        first = len(self._rows) - count
        self.beginRemoveRows(QModelIndex(), first, len(self._rows) - 1)
        for message in self._rows[first:]:
            self._keys.pop(message.message_id, None)
        del self._rows[first:]
        self._has_newer = True
        self.endRemoveRows()
        self._announce(first - 1)  # the new last row now ends its group

    def _remove(self, message_id: str) -> None:
        row = self.row_of(message_id)
        if row < 0:
            return
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self._keys.pop(message_id, None)
        self.endRemoveRows()
        self._announce(row - 1, row)

    def _announce(self, *rows: int) -> None:
        for row in rows:
            if 0 <= row < len(self._rows):
                idx = self.index(row, 0)
                self.dataChanged.emit(idx, idx, [])

    def shape(self, row: int) -> RowShape:
        return RowShape(
            self._rows[row],
            self._shows_day(row),
            self._starts_group(row),
            self._ends_group(row),
            self._sender_label(row),
        )

    def _shows_day(self, row: int) -> bool:
        return row == 0 or not same_day(self._rows[row - 1].time_sent, self._rows[row].time_sent)

    def _ends_group(self, row: int) -> bool:
        return row == len(self._rows) - 1 or self._starts_group(row + 1)

    def _sender_label(self, row: int) -> str | None:
        message = self._rows[row]
        inbound = message.direction == Direction.INBOUND
        show = self._is_group and inbound and message.sender and self._starts_group(row)
        return self._name_for(message.sender) if show and message.sender else None

    def _starts_group(self, row: int) -> bool:
        if row == 0:
            return True
        prev, cur = self._rows[row - 1], self._rows[row]
        return (
            _author(prev) != _author(cur)
            or not same_day(prev.time_sent, cur.time_sent)
            or not within(prev.time_sent, cur.time_sent, GROUP_GAP)
        )

    @staticmethod
    def _accessible_text(message: Message) -> str:
        who = "You" if message.direction == Direction.OUTBOUND else (message.sender or "They")
        parts = [f"{who}: {message.text or ''}".strip()]
        if message.attachments:
            parts.append(f"{len(message.attachments)} attachment(s)")
        if message.direction == Direction.OUTBOUND:
            parts.append(
                message.status.value if message.status != MessageStatus.FAILED else "not delivered"
            )
        parts.append(clock(message.time_sent))
        return ", ".join(p for p in parts if p)
