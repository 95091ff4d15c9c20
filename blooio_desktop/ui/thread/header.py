"""The bar above a conversation: avatar, name, and what it is (number, iMessage/SMS, group size)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from blooio_desktop.core.models import ChatListItem, Protocol
from blooio_desktop.ui.avatar import paint_avatar

PROTOCOL_NAMES: dict[Protocol, str] = {
    Protocol.IMESSAGE: "iMessage",
    Protocol.SMS: "SMS",
    Protocol.RCS: "RCS",
    Protocol.NON_IMESSAGE: "SMS",
}


class _Avatar(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(QSize(34, 34))
        self.item: ChatListItem | None = None

    def paintEvent(self, _event: QPaintEvent) -> None:
        if self.item is None:
            return
        painter = QPainter(self)
        chat = self.item.chat
        paint_avatar(painter, QRectF(self.rect()), chat.id, chat.title, group=chat.is_group)


def describe(item: ChatListItem) -> str:
    chat = item.chat
    parts: list[str] = []
    if chat.is_group:
        parts.append(f"{chat.member_count} members" if chat.member_count else "Group")
    elif chat.title != chat.id:
        parts.append(chat.id)
    if item.protocol in PROTOCOL_NAMES:
        parts.append(PROTOCOL_NAMES[item.protocol])
    return " · ".join(parts)


class ThreadHeader(QWidget):
    """`from_number_chosen(number)` when the user picks another sending number for this chat."""

    from_number_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ThreadHeader")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.avatar = _Avatar()
        self.title = QLabel()
        self.title.setObjectName("ThreadTitle")
        self.subtitle = QLabel()
        self.subtitle.setObjectName("ThreadSubtitle")
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.subtitle)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 16, 10)
        row.setSpacing(10)
        self.from_box = QComboBox()
        self.from_box.setObjectName("FromNumber")
        self.from_box.setAccessibleName("Send from number")
        self.from_box.setToolTip("The number this chat's messages are sent from")
        self.from_box.hide()
        self._default: str | None = None
        row.addWidget(self.avatar)
        row.addLayout(names, 1)
        row.addWidget(self.from_box)
        self.from_box.activated.connect(
            lambda i: self.from_number_chosen.emit(self.from_box.itemData(i))
        )

    def set_numbers(self, numbers: list[str], default: str | None) -> None:
        """Several sending numbers: let each chat pick one (hidden with a single number)."""
        self._default = default
        self.from_box.clear()
        for number in numbers:
            self.from_box.addItem(f"From {number}", number)
        self.from_box.setVisible(len(numbers) > 1)

    def show_item(self, item: ChatListItem | None) -> None:
        self.avatar.item = item
        self.avatar.update()
        self.title.setText(item.chat.title if item else "")
        self.subtitle.setText(describe(item) if item else "")
        self.subtitle.setVisible(bool(self.subtitle.text()))
        chosen = (item.from_number if item else None) or self._default
        index = self.from_box.findData(chosen) if chosen else -1
        self.from_box.setCurrentIndex(max(index, 0))
