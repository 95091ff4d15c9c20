"""System tray: the app icon with the unread count, a notification per inbound message (sender and
snippet; clicking it opens that chat), no notification for the chat already on screen, quit from the menu.

The tray reads the store only when `Changes` says messages were inserted or chats changed, and
recounts unread at most once per `RECOUNT_MS` however fast messages arrive.
"""

from __future__ import annotations

import time
from typing import Protocol

from PySide6.QtCore import QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import Direction, Message
from blooio_desktop.store import ChatRepository, ContactRepository, MessageRepository
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.icons import app_icon

RECOUNT_MS = 150
MAX_NOTIFICATIONS_PER_BATCH = 3
FRESH_S = 300  # older inbound messages arriving now come from a sync, not from a person typing
SNIPPET_CHARS = 120
NOTIFY_MS = 6000


class ChatWindow(Protocol):
    """What the tray needs from the main window."""

    def current_chat_id(self) -> str | None: ...

    def open_chat(self, chat_id: str) -> None: ...


def snippet(message: Message) -> str:
    text = " ".join((message.text or "").split())
    if not text and message.attachments:
        first = message.attachments[0]
        text = f"📎 {first.name or 'Attachment'}"
    if len(text) > SNIPPET_CHARS:
        text = text[: SNIPPET_CHARS - 1].rstrip() + "…"
    return text


def is_fresh_inbound(message: Message, now: float) -> bool:
    if message.direction is not Direction.INBOUND:
        return False
    return message.time_sent is None or now - message.time_sent / 1000 < FRESH_S


def badge_icon(base: QIcon, count: int, size: int = 64) -> QIcon:
    """`base` with a red unread badge in the top-right corner (none when `count` is 0)."""
    pixmap = base.pixmap(size, size) if not base.isNull() else QPixmap(size, size)
    if base.isNull():
        pixmap.fill(QColor("#0a84ff"))
    if count <= 0:
        return QIcon(pixmap)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    diameter = size * 0.55
    rect = QRectF(size - diameter, 0, diameter, diameter)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("#e5383b"))
    painter.drawEllipse(rect)
    font = QFont()
    font.setBold(True)
    font.setPixelSize(int(diameter * (0.6 if count < 10 else 0.45)))
    painter.setFont(font)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(count) if count < 100 else "99+")
    painter.end()
    return QIcon(pixmap)


class TrayController(QObject):
    """Owns the tray icon. `quit_requested` is for the composition root, which owns shutdown."""

    quit_requested = Signal()
    unread_changed = Signal(int)
    notified = Signal(str, str, str)  # chat_id, title, body — after each notification shown

    def __init__(self, context: AppContext, window: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent or window)
        self._context = context
        self._window = window
        self._unread = -1
        self._last_chat: str | None = None
        self._base_icon = app_icon()
        self.tray = QSystemTrayIcon(self._base_icon, self)
        self.tray.setToolTip("Blooio Desktop")
        self.menu = QMenu(window)
        self.open_action = QAction("Open Blooio Desktop", self.menu)
        self.quit_action = QAction("Quit", self.menu)
        self.menu.addAction(self.open_action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.tray.setContextMenu(self.menu)
        self.open_action.triggered.connect(self.show_window)
        self.quit_action.triggered.connect(lambda: self.quit_requested.emit())
        self.tray.activated.connect(self._on_activated)
        self.tray.messageClicked.connect(self._on_message_clicked)
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(RECOUNT_MS)
        self._recount.timeout.connect(self.refresh_unread)
        if context.bridge is not None:
            context.bridge.changes.connect(self.on_changes)
        self.refresh_unread()
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray.show()

    @property
    def unread(self) -> int:
        return max(self._unread, 0)

    def on_changes(self, changes: Changes) -> None:
        if changes.inserted_messages or changes.chats or changes.updated_messages:
            self._recount.start()
        if not changes.inserted_messages or not self._context.settings.value.notifications:
            return
        repo = MessageRepository(self._context.db.read())
        fresh = [
            m
            for m in (repo.get(message_id) for _chat, message_id in changes.inserted_messages)
            if m is not None and is_fresh_inbound(m, time.time())
        ]
        if len(fresh) > MAX_NOTIFICATIONS_PER_BATCH:  # a backfill, not a conversation
            self._show(fresh[-1].chat_id, "Blooio Desktop", f"{len(fresh)} new messages")
            return
        for message in fresh:
            self._notify(message)

    def refresh_unread(self) -> None:
        total = ChatRepository(self._context.db.read()).total_unread()
        if total == self._unread:
            return
        self._unread = total
        self.tray.setIcon(badge_icon(self._base_icon, total))
        self.tray.setToolTip(f"Blooio Desktop — {total} unread" if total else "Blooio Desktop")
        self.unread_changed.emit(total)

    def _is_on_screen(self, chat_id: str) -> bool:
        window = self._window
        if not window.isVisible() or window.isMinimized():
            return False
        return self._chat_window().current_chat_id() == chat_id

    def _chat_window(self) -> ChatWindow:
        return self._window  # type: ignore[return-value]  # the main window implements ChatWindow

    def _notify(self, message: Message) -> None:
        if self._is_on_screen(message.chat_id):
            return
        item = ChatRepository(self._context.db.read()).get_item(message.chat_id)
        if item is not None and item.muted:
            return
        chat_title = item.chat.title if item is not None else message.chat_id
        if item is not None and item.chat.is_group:
            chat_title = f"{self._sender_name(message.sender)} · {chat_title}"
        self._show(message.chat_id, chat_title, snippet(message))

    def _sender_name(self, sender: str | None) -> str:
        if not sender:
            return "Someone"
        contact = ContactRepository(self._context.db.read()).get(sender)
        return contact.display_name if contact is not None else sender

    def _show(self, chat_id: str, title: str, body: str) -> None:
        self._last_chat = chat_id
        self.tray.showMessage(title, body, self._base_icon, NOTIFY_MS)
        self.notified.emit(chat_id, title, body)

    def _on_message_clicked(self) -> None:
        if self._last_chat is not None:
            self.show_window()
            self._chat_window().open_chat(self._last_chat)

    def _on_activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason is QSystemTrayIcon.ActivationReason.Trigger:
            if self._window.isVisible() and not self._window.isMinimized():
                self._window.hide()
            else:
                self.show_window()

    def show_window(self) -> None:
        self._window.showNormal()
        self._window.raise_()
        self._window.activateWindow()

    def close(self) -> None:
        """Hide the icon and stop listening (before the store closes at shutdown)."""
        self._recount.stop()
        if self._context.bridge is not None:
            self._context.bridge.changes.disconnect(self.on_changes)
        self.tray.hide()
