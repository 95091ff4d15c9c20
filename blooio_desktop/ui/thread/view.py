"""`ThreadView`: the message list. Slides the model's window when scrolled near its top or bottom
edge (keeping the reading position: the message at the top of the viewport stays put), follows new
messages when at the newest, otherwise counts them for the "N new messages" button, turns clicks
on links / cards / Retry into signals, and offers the message context menu."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    QPointF,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QDesktopServices,
    QFocusEvent,
    QGuiApplication,
    QKeyEvent,
    QMouseEvent,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QMenu,
    QPushButton,
    QStyleOptionViewItem,
    QWidget,
)

from blooio_desktop.core.models import TAPBACKS, Direction, Message
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.ui.formatting import reaction_glyph
from blooio_desktop.ui.thread.delegate import BubbleDelegate
from blooio_desktop.ui.thread.layout import Thumbs
from blooio_desktop.ui.thread.model import MsgRole, ThreadModel

TOP_THRESHOLD_PX = 40  # this near either edge of the loaded window, the next page loads
BOTTOM_SLACK_PX = 24


class ThreadView(QListView):
    react_requested = Signal(object, str, bool)  # Message, reaction, add
    reply_requested = Signal(object)  # Message
    details_requested = Signal(str)  # message id
    retry_requested = Signal(str)  # message id
    unseen_changed = Signal(int)

    def __init__(
        self, model: ThreadModel, parent: QWidget | None = None, thumbnails: Thumbs | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ThreadView")
        self.setAccessibleName("Messages")
        self._model = model
        self.setModel(model)
        self.bubbles = BubbleDelegate(self, thumbnails)
        self.setItemDelegate(self.bubbles)
        self.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setUniformItemSizes(False)
        self.setMouseTracking(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.verticalScrollBar().setSingleStep(24)
        self._unseen = 0
        self._pinned_to_bottom = True
        self._anchor: tuple[str, int] | None = None  # (message id, top y) to keep while sliding
        self._sliding = False  # inside `_slide`: rows that come are a page, not new messages

        self.jump_button = QPushButton("", self)
        self.jump_button.setObjectName("NewMessagesButton")
        self.jump_button.setAccessibleName("Jump to the newest messages")
        self.jump_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.jump_button.hide()
        self.jump_button.clicked.connect(self.scroll_to_newest)

        self.customContextMenuRequested.connect(self._context_menu)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.verticalScrollBar().rangeChanged.connect(self._on_range)
        model.rowsAboutToBeInserted.connect(self._before_insert)
        model.rowsInserted.connect(self._after_insert)
        model.rowsAboutToBeRemoved.connect(self._before_remove)
        model.modelReset.connect(self._after_reset)
        model.newer_arrived.connect(self._beyond_window)

    # --- public ---------------------------------------------------------------------------
    @property
    def unseen(self) -> int:
        return self._unseen

    def at_bottom(self) -> bool:
        """At the newest message (not merely at the bottom of a window far up)."""
        bar = self.verticalScrollBar()
        return not self._model.has_newer and bar.value() >= bar.maximum() - BOTTOM_SLACK_PX

    def scroll_to_newest(self) -> None:
        if self._model.has_newer:  # the window is far up: reload the newest page (a reset, which
            self._model.load_newest()  # comes back here through `_after_reset`)
            return
        self._pinned_to_bottom = True
        self.scrollToBottom()
        QTimer.singleShot(0, self.scrollToBottom)  # again once the delayed layout has run
        self._set_unseen(0)

    def jump_to(self, message_id: str) -> bool:
        """Scroll to a message (loading history as needed) and flash it; False if not found."""
        row = self._model.load_until(message_id)
        if row < 0:
            return False
        self._pinned_to_bottom = False
        index = self._model.index(row, 0)
        self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        QTimer.singleShot(
            0, lambda: self.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        )
        return True

    def relayout(self, _url: str = "") -> None:
        """Row heights changed (a thumbnail arrived): lay the rows out again, keeping the bottom."""
        self.bubbles.forget_sizes()
        self.scheduleDelayedItemsLayout()
        self.viewport().update()

    # --- history and following ----------------------------------------------------------------
    def verticalScrollbarValueChanged(self, value: int) -> None:
        """Qt's default fetches at the BOTTOM; history lives at the top, see `_on_scrolled`."""

    def _on_scrolled(self, value: int) -> None:
        if self._sliding:
            return  # a page is being laid out: where the reader is will be known after `_slide`
        self._pinned_to_bottom = self.at_bottom()
        if self._pinned_to_bottom:
            self._set_unseen(0)
            QTimer.singleShot(0, self._model.trim)  # history far above is fetched again if wanted
        if self._anchor is not None:
            return  # a page is being laid out
        if value <= TOP_THRESHOLD_PX and self._model.has_older:
            QTimer.singleShot(0, self._load_older)
        elif self._near_window_bottom():
            QTimer.singleShot(0, self._load_newer)

    def _near_window_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return self._model.has_newer and bar.value() >= bar.maximum() - TOP_THRESHOLD_PX

    def _load_older(self) -> None:
        bar = self.verticalScrollBar()
        if bar.value() <= TOP_THRESHOLD_PX and self._model.has_older:
            self._slide(self._model.request_older)

    def _load_newer(self) -> None:
        if self._near_window_bottom():
            self._slide(self._model.request_newer)

    def _slide(self, fetch: Callable[[], bool]) -> None:
        """Fetch a page at one end of the window (the model may drop rows at the other end), lay
        the rows out now and put the message that was at the top of the viewport back in place."""
        self._anchor = self._anchor or self._top_visible()
        self._sliding = True
        try:
            fetch()
            self.executeDelayedItemsLayout()
        finally:
            self._sliding = False
        self._restore_anchor()

    def _top_visible(self) -> tuple[str, int] | None:
        index = self.indexAt(QPoint(self.viewport().width() // 2, 0))
        if not index.isValid():
            return None
        return (self._model.message(index.row()).message_id, self.visualRect(index).top())

    def _restore_anchor(self) -> None:
        anchor, self._anchor = self._anchor, None
        if anchor is None or (row := self._model.row_of(anchor[0])) < 0:
            return  # (the anchored message itself was removed: nothing to hold on to)
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + self.visualRect(self._model.index(row, 0)).top() - anchor[1])

    def _before_insert(self, _parent: QModelIndex, first: int, _last: int) -> None:
        if first == 0 and self._model.rowCount() > 0 and not self._pinned_to_bottom:
            self._anchor = self._anchor or self._top_visible()

    def _before_remove(self, _parent: QModelIndex, first: int, last: int) -> None:
        if first == 0 and not self._pinned_to_bottom:
            self._anchor = self._anchor or self._top_visible()
        self.bubbles.forget_sizes(self._model.message(r).message_id for r in range(first, last + 1))

    def _beyond_window(self, message: Message) -> None:
        """A new message arrived while the window is far up: count it, or go down for our own."""
        if message.direction == Direction.OUTBOUND:
            self.scroll_to_newest()
        else:
            self._set_unseen(self._unseen + 1)

    def _after_insert(self, _parent: QModelIndex, first: int, last: int) -> None:
        if self._sliding or (first == 0 and self._anchor is not None):
            return  # a page of the window: `_slide` / `_on_range` restore the reading position
        if last != self._model.rowCount() - 1:
            return
        new_inbound = sum(
            1
            for r in range(first, last + 1)
            if self._model.message(r).direction == Direction.INBOUND
        )
        outbound = last - first + 1 - new_inbound
        if self._pinned_to_bottom or outbound:
            self.scroll_to_newest()  # our own sends always bring the view down
        else:
            self._set_unseen(self._unseen + new_inbound)

    def _on_range(self, _minimum: int, maximum: int) -> None:
        bar = self.verticalScrollBar()
        if self._sliding:
            pass  # `_slide` restores the reading position once the rows are laid out
        elif self._anchor is not None:
            self._restore_anchor()
        elif self._pinned_to_bottom:
            bar.setValue(maximum)
        if maximum == 0 and self._model.has_older:  # the page does not fill the view yet
            QTimer.singleShot(0, self._model.request_older)

    def _after_reset(self) -> None:
        self.bubbles.forget_sizes()
        self._anchor = None
        self._set_unseen(0)
        self.scroll_to_newest()

    def _set_unseen(self, count: int) -> None:
        if count == self._unseen:
            return
        self._unseen = count
        self.jump_button.setText(f"↓  {count} new message{'s' if count != 1 else ''}")
        self.jump_button.setVisible(count > 0)
        self._place_button()
        self.unseen_changed.emit(count)

    def _place_button(self) -> None:
        self.jump_button.adjustSize()
        x = (self.width() - self.jump_button.width()) // 2
        self.jump_button.move(x, self.height() - self.jump_button.height() - 14)
        self.jump_button.raise_()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_button()

    # --- clicks and the context menu ----------------------------------------------------------
    def _hit(self, pos: QPoint) -> tuple[str, str] | None:
        index = self.indexAt(pos)
        if not index.isValid():
            return None
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        option.rect = self.visualRect(index)
        return self.bubbles.hit(option, index, QPointF(pos))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        hit = self._hit(event.position().toPoint())
        cursor = Qt.CursorShape.PointingHandCursor if hit else Qt.CursorShape.ArrowCursor
        self.viewport().setCursor(cursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton:
            return
        hit = self._hit(event.position().toPoint())
        if hit is None:
            return
        kind, value = hit
        if kind == "retry":
            self.retry_requested.emit(value)
        else:
            QDesktopServices.openUrl(QUrl(value))

    def _context_menu(self, pos: QPoint) -> None:
        self._popup_menu(self.indexAt(pos), pos)

    def _popup_menu(self, index: QModelIndex, pos: QPoint) -> None:
        message: Message | None = index.data(MsgRole.MESSAGE) if index.isValid() else None
        if message is None:
            return
        menu = self.build_menu(message)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.popup(self.viewport().mapToGlobal(pos))

    # --- keyboard -------------------------------------------------------------------------------
    def focusInEvent(self, event: QFocusEvent) -> None:
        """Keyboard focus starts at the newest message on screen (Qt would pick the oldest loaded,
        scrolling to the top and pulling in history)."""
        if not self.currentIndex().isValid() and self._model.rowCount():
            bottom = self.indexAt(
                QPoint(self.viewport().width() // 2, self.viewport().height() - 4)
            )
            index = bottom if bottom.isValid() else self._model.index(self._model.rowCount() - 1, 0)
            self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Up/Down move between messages; the Menu key or Shift+F10 opens the current one's menu."""
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if event.key() == Qt.Key.Key_Menu or (event.key() == Qt.Key.Key_F10 and shift):
            current = self.currentIndex()
            self._popup_menu(current, self.visualRect(current).center())
            return
        super().keyPressEvent(event)

    def build_menu(self, message: Message) -> QMenu:
        """React / Reply / Copy / Details (and Retry for a failed send) for one message."""
        menu = QMenu(self)
        react = menu.addMenu("React")
        mine = {r.reaction for r in message.reactions if r.is_added and r.sender is None}
        for name in TAPBACKS:
            action = QAction(f"{reaction_glyph(name)}  {name.capitalize()}", react)
            action.setCheckable(True)
            action.setChecked(name in mine)
            action.triggered.connect(
                lambda checked, n=name: self.react_requested.emit(message, n, checked)
            )
            react.addAction(action)
        menu.addAction("Reply", lambda: self.reply_requested.emit(message))
        copy = menu.addAction(
            "Copy", lambda: QGuiApplication.clipboard().setText(message.text or "")
        )
        copy.setEnabled(bool(message.text))
        menu.addSeparator()
        if message.direction == Direction.OUTBOUND and message.status == MessageStatus.FAILED:
            menu.addAction("Retry", lambda: self.retry_requested.emit(message.message_id))
        menu.addAction("Show Details…", lambda: self.details_requested.emit(message.message_id))
        return menu
