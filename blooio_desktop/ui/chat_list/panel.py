"""The sidebar: search box, the chat list, and (while searching) full-text message hits."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from blooio_desktop.core.models import ChatListItem
from blooio_desktop.ui.chat_list.delegate import ChatListDelegate
from blooio_desktop.ui.chat_list.model import ChatListModel, ChatRole
from blooio_desktop.ui.chat_list.search_model import HIT_ROLE, SearchHitDelegate, SearchHitsModel
from blooio_desktop.ui.icons import IconSet

SEARCH_DEBOUNCE_MS = 150


def _list_view(name: str) -> QListView:
    view = QListView()
    view.setObjectName(name)
    view.setMouseTracking(True)
    view.setUniformItemSizes(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.setHorizontalScrollBarPolicy(view.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
    return view


class ChatListPanel(QWidget):
    chat_selected = Signal(str)
    message_chosen = Signal(str, str)  # chat_id, message_id
    pin_requested = Signal(str, bool)  # chat_id, pinned
    mark_read_requested = Signal(str)
    rename_requested = Signal(str)

    def __init__(
        self, chats: ChatListModel, hits: SearchHitsModel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Sidebar")
        self.chats = chats
        self.hits = hits
        self._open_chat_id: str | None = None  # the user's choice, kept while a filter hides it
        self._refiltering = False

        self.search = QLineEdit()
        self.search.setObjectName("SearchBox")
        self.search.setPlaceholderText("Search")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search chats and messages")
        glass = IconSet(self.palette()).icon("search", QColor("#8e8e93"))
        self.search.addAction(glass, QLineEdit.ActionPosition.LeadingPosition)

        self.chat_view = _list_view("ChatList")
        self.chat_view.setAccessibleName("Chats")
        self.chat_view.setModel(chats)
        self.chat_view.setItemDelegate(ChatListDelegate(self.chat_view))

        self.chats_header = QLabel("CHATS")
        self.hits_header = QLabel("MESSAGES")
        for header in (self.chats_header, self.hits_header):
            header.setObjectName("SectionHeader")
        self.hit_view = _list_view("SearchHits")
        self.hit_view.setAccessibleName("Messages matching the search")
        self.hit_view.setModel(hits)
        self.hit_view.setItemDelegate(SearchHitDelegate(self.hit_view))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.numbers = QComboBox()
        self.numbers.setObjectName("NumberFilter")
        self.numbers.setAccessibleName("Show chats of one sending number")
        self.numbers.hide()
        search_row = QVBoxLayout()
        search_row.setContentsMargins(12, 10, 12, 6)
        search_row.setSpacing(6)
        search_row.addWidget(self.search)
        search_row.addWidget(self.numbers)
        layout.addLayout(search_row)
        layout.addWidget(self.chats_header)
        layout.addWidget(self.chat_view, 3)
        layout.addWidget(self.hits_header)
        layout.addWidget(self.hit_view, 2)
        self._set_searching(False)

        self._debounce = QTimer(self, singleShot=True, interval=SEARCH_DEBOUNCE_MS)
        self._debounce.timeout.connect(self._run_search)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.search.returnPressed.connect(self._run_search)
        self.chat_view.selectionModel().currentChanged.connect(self._on_current_chat)
        self.hit_view.clicked.connect(self._on_hit)
        self.hit_view.activated.connect(self._on_hit)
        self.numbers.activated.connect(
            lambda i: self._refilter(lambda: self.chats.set_number(self.numbers.itemData(i)))
        )
        self.chat_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.chat_view.customContextMenuRequested.connect(self._chat_menu)
        self.search.installEventFilter(self)

    # --- navigation -------------------------------------------------------------------------
    def current_chat_id(self) -> str | None:
        index = self.chat_view.currentIndex()
        return index.data(ChatRole.CHAT_ID) if index.isValid() else None

    def select_chat(self, chat_id: str) -> bool:
        """Select a chat row (clearing a search that hides it); returns False if it is unknown."""
        row = self.chats.row_of(chat_id)
        if row < 0 and self.search.text():
            self.search.clear()
            self._run_search()
            row = self.chats.row_of(chat_id)
        if row < 0:
            return False
        index = self.chats.index(row, 0)
        self.chat_view.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        self.chat_view.scrollTo(index)
        return True

    def step(self, delta: int) -> None:
        """Alt+Up / Alt+Down: the previous / next chat, wrapping around."""
        count = self.chats.rowCount()
        if not count:
            return
        current = self.chat_view.currentIndex().row()
        row = (current + delta) % count if current >= 0 else 0
        self.select_chat(self.chats.item(row).chat.id)

    def set_numbers(self, numbers: list[str]) -> None:
        """With several sending numbers, offer to show only one number's chats."""
        self.numbers.clear()
        self.numbers.addItem("All numbers", None)
        for number in numbers:
            self.numbers.addItem(number, number)
        self.numbers.setVisible(len(numbers) > 1)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def focus_chats(self) -> None:
        self.chat_view.setFocus()

    # --- slots ------------------------------------------------------------------------------
    def _run_search(self) -> None:
        self._debounce.stop()
        query = self.search.text()
        self._refilter(lambda: self.chats.set_query(query))
        self.hits.search(query)
        self._set_searching(bool(query.strip()))

    def _refilter(self, apply: Callable[[], None]) -> None:
        """Filter the rows without opening another chat: removing the current row moves the current
        index to a neighbour, which would open that chat and take the focus from the search box."""
        self._refiltering = True
        try:
            apply()
            row = self.chats.row_of(self._open_chat_id) if self._open_chat_id else -1
            selection = self.chat_view.selectionModel()
            if row >= 0:
                selection.setCurrentIndex(
                    self.chats.index(row, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
                )
            else:
                selection.clear()
        finally:
            self._refiltering = False

    def _set_searching(self, searching: bool) -> None:
        for widget in (self.chats_header, self.hits_header, self.hit_view):
            widget.setVisible(searching)

    def _on_current_chat(self, current: QModelIndex, _previous: QModelIndex) -> None:
        chat_id = current.data(ChatRole.CHAT_ID) if current.isValid() else None
        if chat_id and not self._refiltering:
            self._open_chat_id = chat_id
            self.chat_selected.emit(chat_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Esc in the search box clears it (a QLineEdit ignores Esc by itself)."""
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        ):
            self._leave_search()
            return True
        return super().eventFilter(watched, event)

    def _leave_search(self) -> None:
        """Esc in the search box: clear it and go back to the chats."""
        self.search.clear()
        self._run_search()
        self.focus_chats()

    def _chat_menu(self, pos: QPoint) -> None:
        index = self.chat_view.indexAt(pos)
        if index.isValid():
            self.chat_menu(self.chats.item(index.row())).popup(
                self.chat_view.viewport().mapToGlobal(pos)
            )

    def chat_menu(self, item: ChatListItem) -> QMenu:
        """Pin / Mark as Read / Rename for one chat row."""
        chat_id = item.chat.id
        menu = QMenu(self)
        menu.addAction(
            "Unpin" if item.pinned else "Pin",
            lambda: self.pin_requested.emit(chat_id, not item.pinned),
        )
        read = menu.addAction("Mark as Read", lambda: self.mark_read_requested.emit(chat_id))
        read.setEnabled(item.unread_count > 0)
        menu.addAction("Rename…", lambda: self.rename_requested.emit(chat_id))
        return menu

    def _on_hit(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.message_chosen.emit(hit.message.chat_id, hit.message.message_id)
