"""`Composer`: the edit, attachment chips, reply preview, send button, and throttled typing.

It knows nothing about services: it emits `send_requested(Outgoing)`, `typing(chat_id, bool)` and
`draft_changed(chat_id, text)`, and the thread panel turns those into service calls.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHBoxLayout, QInputDialog, QLabel, QToolButton, QVBoxLayout, QWidget

from blooio_desktop.core.models import Attachment, Message
from blooio_desktop.services.attachments import AttachmentProber
from blooio_desktop.ui.composer.chips import ChipBar
from blooio_desktop.ui.composer.edit import ComposerEdit
from blooio_desktop.ui.error_text import inline_error
from blooio_desktop.ui.icons import IconSet
from blooio_desktop.ui.tasks import TaskSet

TYPING_IDLE_MS = 5000  # stop the indicator after this long without a keystroke
TYPING_RESEND_S = 10.0  # never re-send "typing" more often than this
READ_ONLY_PLACEHOLDER = "Read-only: new messages can't be saved"


@dataclass(frozen=True, slots=True)
class Outgoing:
    chat_id: str
    text: str
    attachments: tuple[Attachment, ...] = ()
    reply_to: str | None = None


class Composer(QWidget):
    send_requested = Signal(object)  # Outgoing
    typing = Signal(str, bool)
    draft_changed = Signal(str, str)
    dismissed = Signal()  # Esc with nothing to cancel: the window moves the focus on

    def __init__(
        self, prober: AttachmentProber | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Composer")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._prober = prober
        self._tasks = TaskSet()
        self._chat_id: str | None = None
        self._reply: Message | None = None
        self._last_reply: Message | None = None  # of the last submit, given back if it fails
        self._read_only = False
        self._typing_since: float | None = None

        self.edit = ComposerEdit()
        self.chips = ChipBar()
        self.reply_label = QLabel()
        self.reply_label.setObjectName("ReplyPreview")
        self.reply_close = QToolButton()
        self.reply_close.setObjectName("ChipClose")
        self.reply_close.setText("✕")
        self.reply_close.setAccessibleName("Cancel reply")
        self.error = inline_error()
        self.attach = QToolButton()
        self.attach.setObjectName("AttachButton")
        self.attach.setIcon(IconSet(self.palette()).icon("attach", QColor("#8e8e93")))
        self.attach.setIconSize(QSize(20, 20))
        self.attach.setToolTip("Attach a link (or drop one here)")
        self.attach.setAccessibleName("Attach a link")
        self.send = QToolButton()
        self.send.setObjectName("SendButton")
        self.send.setText("↑")
        self.send.setToolTip("Send (Enter)")
        self.send.setAccessibleName("Send")

        reply_row = QHBoxLayout()
        reply_row.addWidget(self.reply_label, 1)
        reply_row.addWidget(self.reply_close)
        self._reply_row = QWidget()
        self._reply_row.setLayout(reply_row)
        reply_row.setContentsMargins(44, 0, 44, 0)
        self._reply_row.hide()
        self.error.hide()

        input_row = QHBoxLayout()
        input_row.setSpacing(8)
        input_row.addWidget(self.attach, 0, Qt.AlignmentFlag.AlignBottom)
        input_row.addWidget(self.edit, 1)
        input_row.addWidget(self.send, 0, Qt.AlignmentFlag.AlignBottom)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 10)
        outer.setSpacing(4)
        outer.addWidget(self._reply_row)
        outer.addWidget(self.chips)
        outer.addWidget(self.error)
        outer.addLayout(input_row)

        self._idle = QTimer(self, singleShot=True, interval=TYPING_IDLE_MS)
        self._idle.timeout.connect(self._stop_typing)
        self.edit.submitted.connect(self.submit)
        self.edit.escaped.connect(self._on_escape)
        self.edit.links_added.connect(self.add_links)
        self.edit.rejected.connect(self.show_error)
        self.edit.textChanged.connect(self._on_text)
        self.send.clicked.connect(self.submit)
        self.reply_close.clicked.connect(lambda: self.set_reply(None))
        self.attach.clicked.connect(self._prompt_for_link)
        self.chips.changed.connect(self._update_send_enabled)
        self._update_send_enabled()
        self.setEnabled(False)

    # --- public -------------------------------------------------------------------------------
    @property
    def chat_id(self) -> str | None:
        return self._chat_id

    def set_chat(self, chat_id: str | None, draft: str | None = None) -> None:
        """Switch chats: the old chat keeps its draft, the new one gets its own back."""
        if self._chat_id is not None:
            self._stop_typing()
            self.draft_changed.emit(self._chat_id, self.edit.toPlainText())
        self._chat_id = chat_id
        self.chips.clear()
        self.set_reply(None)
        self.show_error(None)
        self.edit.blockSignals(True)
        self.edit.setPlainText(draft or "")
        self.edit.blockSignals(False)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        self.setEnabled(chat_id is not None and not self._read_only)
        self._update_send_enabled()

    def offer_text(self, text: str) -> None:
        """Text a link brought (`sms:…?body=`): into the box after what is already typed, once, and
        kept as the chat's draft; the user still decides to send it."""
        if self._chat_id is None:
            return
        current = self.edit.toPlainText()
        if text not in current:
            combined = f"{current.rstrip()}\n{text}" if current.strip() else text
            self.edit.blockSignals(True)  # not the user typing: no typing indicator
            self.edit.setPlainText(combined)
            self.edit.blockSignals(False)
            self.draft_changed.emit(self._chat_id, combined)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        self.edit.setFocus()
        self._update_send_enabled()

    def set_read_only(self, reason: str) -> None:
        """The store cannot save anything this session: no typing or sending; the tooltip says why."""
        self._read_only = True
        for widget in (self, self.edit, self.send):
            widget.setToolTip(reason)
        self.edit.setPlaceholderText(READ_ONLY_PLACEHOLDER)
        self.setEnabled(False)

    def send_failed(self, outgoing: Outgoing, error: str) -> None:
        """The send was not even saved (disk full, read-only…): say why, and give the words back
        so nothing typed is lost — to the edit, or to its chat's draft if the user moved on."""
        self.show_error(error)
        if outgoing.chat_id != self._chat_id:
            self.draft_changed.emit(outgoing.chat_id, outgoing.text)
            return
        typed = self.edit.toPlainText()
        self.edit.blockSignals(True)  # not a keystroke: no typing indicator
        self.edit.setPlainText("\n".join(t for t in (outgoing.text, typed) if t.strip()))
        self.edit.blockSignals(False)
        self.edit.moveCursor(self.edit.textCursor().MoveOperation.End)
        self.add_links([attachment.url for attachment in outgoing.attachments])
        if self._last_reply is not None and self._last_reply.message_id == outgoing.reply_to:
            self.set_reply(self._last_reply)
        self._update_send_enabled()
        self.draft_changed.emit(outgoing.chat_id, self.edit.toPlainText())

    def set_reply(self, message: Message | None) -> None:
        self._reply = message
        if message is not None:
            snippet = (message.text or "Attachment").replace("\n", " ")
            self.reply_label.setText(f"Replying to: {snippet[:120]}")
            self.edit.setFocus()
        self._reply_row.setVisible(message is not None)

    def show_error(self, text: str | None) -> None:
        self.error.setText(text or "")
        self.error.setVisible(bool(text))

    def add_links(self, urls: list[str]) -> None:
        for url in urls:
            chip = self.chips.add(url)
            if chip is not None and self._prober is not None:
                self._tasks.spawn(self._probe(url))
        self.edit.setFocus()

    def submit(self) -> None:
        text = self.edit.toPlainText().strip()
        attachments = self.chips.attachments()
        if self._chat_id is None or not (text or attachments) or self.chips.blocking():
            return
        outgoing = Outgoing(
            chat_id=self._chat_id,
            text=text,
            attachments=attachments,
            reply_to=self._reply.message_id if self._reply else None,
        )
        self._stop_typing()
        self.edit.clear()
        self.chips.clear()
        self._last_reply = self._reply
        self.set_reply(None)
        self.show_error(None)
        self.draft_changed.emit(self._chat_id, "")
        self.send_requested.emit(outgoing)

    def close_tasks(self) -> None:
        self._tasks.cancel_all()

    # --- internals ----------------------------------------------------------------------------
    async def _probe(self, url: str) -> None:
        assert self._prober is not None
        result = await self._prober.probe(url)
        chip = self.chips.chips.get(url)
        if chip is not None:
            chip.set_result(result)
            self._update_send_enabled()

    def _on_escape(self) -> None:
        """Esc cancels a reply first; with nothing to cancel it leaves the composer."""
        if self._reply is not None:
            self.set_reply(None)
        else:
            self.dismissed.emit()

    def _on_text(self) -> None:
        self._update_send_enabled()
        if self._chat_id is None:
            return
        if not self.edit.toPlainText().strip():
            self._stop_typing()
            return
        now = time.monotonic()
        if self._typing_since is None or now - self._typing_since > TYPING_RESEND_S:
            self._typing_since = now
            self.typing.emit(self._chat_id, True)
        self._idle.start()

    def _stop_typing(self) -> None:
        self._idle.stop()
        if self._typing_since is not None and self._chat_id is not None:
            self._typing_since = None
            self.typing.emit(self._chat_id, False)

    def _update_send_enabled(self) -> None:
        has_content = bool(self.edit.toPlainText().strip() or self.chips.chips)
        self.send.setEnabled(has_content and not self.chips.blocking())

    def _prompt_for_link(self) -> None:
        """The paperclip: ask for a link (non-blocking: a nested event loop would stall qasync)."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Attach a link")
        dialog.setLabelText("Public link to a file (https://…):")
        dialog.textValueSelected.connect(self._add_typed_link)
        dialog.open()

    def _add_typed_link(self, text: str) -> None:
        if text.strip():
            self.add_links([text.strip()])
