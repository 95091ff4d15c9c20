"""`ThreadPanel`: header, messages, typing indicator and composer for the open chat, wired to the
messaging service (send, react, retry, typing, mark read, drafts). Failures show inline."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QStackedLayout, QVBoxLayout, QWidget

from blooio_desktop.core.errors import BlooioError
from blooio_desktop.core.events import Changes, WebhookEvent
from blooio_desktop.core.identifiers import is_group_id
from blooio_desktop.core.models import ChatListItem, Message
from blooio_desktop.store import ChatRepository, ContactRepository, MessageRepository
from blooio_desktop.ui.composer.composer import Composer, Outgoing
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.error_text import describe_error
from blooio_desktop.ui.tasks import async_slot
from blooio_desktop.ui.thread.header import ThreadHeader
from blooio_desktop.ui.thread.model import ThreadModel
from blooio_desktop.ui.thread.thumbnails import ThumbnailCache
from blooio_desktop.ui.thread.typing_indicator import TypingIndicator
from blooio_desktop.ui.thread.view import ThreadView

log = logging.getLogger(__name__)
MARK_READ_DELAY_MS = 600


class ThreadPanel(QWidget):
    details_requested = Signal(str)  # message id: the main window opens the details dialog

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._chats = ChatRepository(context.db.read())
        contacts = ContactRepository(context.db.read())

        def display_name(handle: str) -> str:
            contact = contacts.get(handle)
            return contact.display_name if contact else handle

        self.model = ThreadModel(MessageRepository(context.db.read()), self, name_for=display_name)
        self.header = ThreadHeader()
        self.thumbnails = ThumbnailCache(context.prober, self) if context.prober else None
        self.view = ThreadView(self.model, thumbnails=self.thumbnails)
        self.typing = TypingIndicator()
        self.composer = Composer(context.prober)
        if context.db.read_only_reason is not None:
            self.composer.set_read_only(context.db.read_only_reason)
        self._item: ChatListItem | None = None

        conversation = QWidget()
        column = QVBoxLayout(conversation)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.header)
        column.addWidget(self.view, 1)
        column.addWidget(self.typing)
        column.addWidget(self.composer)
        self.empty = QLabel("Select a conversation, or start a new one with Ctrl+N.")
        self.empty.setObjectName("EmptyState")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self.empty)
        self._stack.addWidget(conversation)

        self._read_timer = QTimer(self, singleShot=True, interval=MARK_READ_DELAY_MS)
        self._read_timer.timeout.connect(self._mark_read)
        self.composer.send_requested.connect(self._send)
        self.composer.typing.connect(self._typing)
        self.composer.draft_changed.connect(self._save_draft)
        self.view.react_requested.connect(self._react)
        self.view.reply_requested.connect(self.composer.set_reply)
        self.view.retry_requested.connect(self._retry)
        self.view.details_requested.connect(self.details_requested)
        self.header.from_number_chosen.connect(self._choose_from_number)
        if self.thumbnails is not None:
            self.thumbnails.ready.connect(self.view.relayout)
        self.model.rowsInserted.connect(lambda *_: self.maybe_mark_read())
        self.view.unseen_changed.connect(self._on_unseen_changed)
        if context.bridge is not None:
            context.bridge.changes.connect(self.on_changes)
            context.bridge.bus_event.connect(self._on_event)

    # --- public ------------------------------------------------------------------------------
    @property
    def chat_id(self) -> str | None:
        return self.model.chat_id

    def open_chat(self, chat_id: str | None) -> None:
        if chat_id == self.model.chat_id:
            return
        self._item = self._chats.get_item(chat_id) if chat_id else None
        self.header.show_item(self._item)
        self.typing.stop()
        group = bool(
            chat_id and (is_group_id(chat_id) or (self._item and self._item.chat.is_group))
        )
        self.model.load(chat_id, is_group=group)
        self.composer.set_chat(chat_id, self._item.draft if self._item else None)
        self._stack.setCurrentIndex(1 if chat_id else 0)
        if chat_id:
            self.composer.edit.setFocus()
            self.maybe_mark_read()

    def set_numbers(self, numbers: list[str]) -> None:
        self.header.set_numbers(numbers, self.context.settings.value.default_from_number)
        self.header.show_item(self._item)

    def jump_to(self, message_id: str) -> bool:
        return self.view.jump_to(message_id)

    def on_changes(self, changes: Changes) -> None:
        self.model.on_changes(changes)
        chat_id = self.model.chat_id
        if chat_id and chat_id in changes.chats:
            self._item = self._chats.get_item(chat_id)
            self.header.show_item(self._item)

    # --- service calls -----------------------------------------------------------------------
    @async_slot(object)
    async def _send(self, outgoing: Outgoing) -> None:
        messaging = self.context.messaging
        if messaging is None:
            self.composer.send_failed(outgoing, "Still connecting — try again in a moment.")
            return
        from_number = self._item.from_number if self._item else None
        try:
            await messaging.send(
                outgoing.chat_id,
                outgoing.text or None,
                attachments=outgoing.attachments,
                from_number=from_number or self.context.settings.value.default_from_number,
                reply_to=outgoing.reply_to,
            )
        except BlooioError as exc:  # not saved (disk full, …): the typed text goes back
            self.composer.send_failed(outgoing, describe_error(exc))

    @async_slot(object, str, bool)
    async def _react(self, message: Message, reaction: str, add: bool) -> None:
        if self.context.messaging is None:
            return
        try:
            await self.context.messaging.react(
                message.chat_id, message.message_id, reaction, add=add
            )
        except BlooioError as exc:
            self.composer.show_error(describe_error(exc))

    @async_slot(str)
    async def _retry(self, message_id: str) -> None:
        """The bubble's "Retry": the service decides between retrying and sending again."""
        if self.context.messaging is None:
            return
        try:
            await self.context.messaging.retry_message(message_id)
        except BlooioError as exc:
            self.composer.show_error(describe_error(exc))

    @async_slot(str, bool)
    async def _typing(self, chat_id: str, typing: bool) -> None:
        if self.context.messaging is None:
            return
        try:
            await self.context.messaging.set_typing(chat_id, typing)
        except BlooioError as exc:  # a typing indicator is best effort: never bother the user
            log.info("typing indicator not sent: %s", exc)

    @async_slot(str, str)
    async def _save_draft(self, chat_id: str, text: str) -> None:
        draft = text.strip() or None
        try:
            await self.context.write(lambda conn: ChatRepository(conn).set_draft(chat_id, draft))
        except BlooioError as exc:
            log.warning("draft not saved: %s", exc)

    @async_slot(str)
    async def _choose_from_number(self, number: str) -> None:
        chat_id = self.model.chat_id
        if chat_id is None:
            return
        try:
            await self.context.write(
                lambda conn: ChatRepository(conn).set_from_number(chat_id, number)
            )
        except BlooioError as exc:
            self.composer.show_error(describe_error(exc))

    def close_tasks(self) -> None:
        """At shutdown: stop link probes and thumbnail fetches before their HTTP client closes."""
        self.composer.close_tasks()
        if self.thumbnails is not None:
            self.thumbnails.close()

    def maybe_mark_read(self) -> None:
        """The open chat is on screen and scrolled to the bottom: mark it read (debounced)."""
        if self.model.chat_id and self.isVisible() and self.view.at_bottom():
            self._read_timer.start()

    def _on_unseen_changed(self, unseen: int) -> None:
        if unseen == 0:  # scrolled down to the newest: they are being read now
            self.maybe_mark_read()

    @async_slot()
    async def _mark_read(self) -> None:
        chat_id = self.model.chat_id
        if not chat_id or self.context.messaging is None:
            return
        item = self._chats.get_item(chat_id)
        if item is None or not item.unread_count:
            return
        try:
            await self.context.messaging.mark_read(chat_id)
        except BlooioError as exc:
            log.info("mark read failed: %s", exc)

    def _on_event(self, event: object) -> None:
        """Typing webhooks (v4-style `typing.started` / `typing.stopped`) for the open chat."""
        if not isinstance(event, WebhookEvent) or event.chat_id != self.model.chat_id:
            return
        if event.event == "typing.started":
            self.typing.start(self._item.chat.title if self._item else (event.sender or "Someone"))
        elif event.event in ("typing.stopped", "message.received"):
            self.typing.stop()
