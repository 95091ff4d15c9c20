"""The strip across the top while running on the built-in sandbox, inviting a real account."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget


class SandboxBanner(QFrame):
    connect_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setAccessibleName("Sandbox banner")
        title = QLabel("<b>Sandbox</b> — connect your Blooio account")
        title.setTextFormat(Qt.TextFormat.RichText)
        detail = QLabel("Demo contacts reply to you here. Nothing leaves this computer.")
        detail.setSizePolicy(
            QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred
        )  # yields first
        self.button = QPushButton("Connect account…")
        self.button.setAccessibleName("Connect your Blooio account")
        self.button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.button.clicked.connect(self.connect_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 7, 12, 7)
        row.setSpacing(12)
        row.addWidget(title)
        row.addWidget(detail, 1)
        row.addWidget(self.button)
