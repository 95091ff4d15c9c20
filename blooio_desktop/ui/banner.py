"""The strips across the top of the window: the sandbox one, inviting a real account, and the
read-only one, saying why new messages cannot be saved. Both share one look (`QFrame#Banner`)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class Banner(QFrame):
    """A bold title, then a detail that yields space first; variants append their own widgets."""

    def __init__(
        self, title: str, detail: str, accessible_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setAccessibleName(accessible_name)
        self.title = QLabel(title)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.detail = QLabel(detail)
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.row = QHBoxLayout(self)
        self.row.setContentsMargins(16, 7, 12, 7)
        self.row.setSpacing(12)
        self.row.addWidget(self.title)
        self.row.addWidget(self.detail, 1)


class SandboxBanner(Banner):
    connect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "<b>Sandbox</b> — connect your Blooio account",
            "Demo contacts reply to you here. Nothing leaves this computer.",
            "Sandbox banner",
            parent,
        )
        self.button = QPushButton("Connect account…")
        self.button.setAccessibleName("Connect your Blooio account")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self.connect_requested)
        self.row.addWidget(self.button)


READ_ONLY_TITLE = "<b>Read-only</b> — your history is here, but new messages can't be saved"


class ReadOnlyBanner(Banner):
    """Shown while the store could only open the database read-only; `reason` is the store's."""

    def __init__(self, reason: str, parent: QWidget | None = None) -> None:
        super().__init__(READ_ONLY_TITLE, reason, "Read-only banner", parent)
        self.setToolTip(reason)  # the detail may be cut short in a narrow window
