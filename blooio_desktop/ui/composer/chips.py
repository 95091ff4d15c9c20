"""Attachment chips above the edit: one removable chip per link, showing what the HEAD probe found."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from blooio_desktop.core.models import Attachment
from blooio_desktop.services.attachments import MAX_ATTACHMENT_BYTES, ProbeResult
from blooio_desktop.ui.formatting import human_size


def link_name(url: str) -> str:
    parts = urlsplit(url)
    tail = parts.path.rstrip("/").rsplit("/", 1)[-1]
    return tail or parts.netloc or url


class AttachmentChip(QFrame):
    """States: "checking" → "ok" | "warning" (unreachable / over 16 MB) | "error" (not a link)."""

    remove_requested = Signal(str)  # url

    def __init__(self, url: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Chip")
        self.url = url
        self.result: ProbeResult | None = None
        self.state = "checking"
        self.name = QLabel(link_name(url))
        self.name.setToolTip(url)
        self.detail = QLabel("Checking…")
        self.detail.setObjectName("ChipDetail")
        close = QToolButton()
        close.setObjectName("ChipClose")
        close.setText("✕")
        close.setAccessibleName(f"Remove attachment {link_name(url)}")
        close.setCursor(Qt.CursorShape.PointingHandCursor)
        close.clicked.connect(lambda: self.remove_requested.emit(self.url))
        text = QVBoxLayout()
        text.setSpacing(0)
        text.addWidget(self.name)
        text.addWidget(self.detail)
        row = QHBoxLayout(self)
        row.setContentsMargins(10, 4, 4, 4)
        row.addLayout(text)
        row.addWidget(close)
        self.setAccessibleName(f"Attachment {link_name(url)}")

    def set_result(self, result: ProbeResult) -> None:
        self.result = result
        if not result.reachable:
            self.state = "error" if result.invalid else "warning"
            self.detail.setText(result.problem or "Unreachable")
        elif result.too_large:
            self.state = "warning"
            limit = human_size(MAX_ATTACHMENT_BYTES)
            self.detail.setText(f"{human_size(result.size)} — over Blooio's {limit} limit")
        else:
            self.state = "ok"
            parts = [result.content_type or "Link", human_size(result.size)]
            self.detail.setText(" · ".join(p for p in parts if p))
        self.setProperty("state", self.state)
        self.style().unpolish(self)
        self.style().polish(self)
        self.setToolTip(f"{self.url}\n{self.detail.text()}")

    def attachment(self) -> Attachment:
        r = self.result
        return Attachment(
            url=self.url,
            name=link_name(self.url),
            mime_type=r.content_type if r else None,
            size=r.size if r else None,
        )


class ChipBar(QWidget):
    """A row of chips; `changed` fires whenever chips are added, removed or checked."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 4)
        self._layout.setSpacing(6)
        self._layout.addStretch(1)
        self.chips: dict[str, AttachmentChip] = {}
        self.setVisible(False)

    def add(self, url: str) -> AttachmentChip | None:
        if url in self.chips:
            return None
        chip = AttachmentChip(url, self)
        chip.remove_requested.connect(self.remove)
        self.chips[url] = chip
        self._layout.insertWidget(self._layout.count() - 1, chip)
        self.setVisible(True)
        self.changed.emit()
        return chip

    def remove(self, url: str) -> None:
        chip = self.chips.pop(url, None)
        if chip is not None:
            chip.deleteLater()
        self.setVisible(bool(self.chips))
        self.changed.emit()

    def clear(self) -> None:
        for url in list(self.chips):
            self.remove(url)

    def attachments(self) -> tuple[Attachment, ...]:
        return tuple(chip.attachment() for chip in self.chips.values())

    def blocking(self) -> bool:
        """True when a chip holds something that is not a link at all."""
        return any(chip.state == "error" for chip in self.chips.values())
