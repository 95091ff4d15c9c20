"""`ComposerEdit`: Enter sends, Shift+Enter adds a line; links dropped or pasted become attachments.

Drag and drop and paste both go through `insertFromMimeData`: dropped links (text/uri-list, or plain
text that is only URLs) always become attachment chips; a pasted link becomes one only when it points
at a file (it has a file extension), so ordinary links can still be pasted into the text.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import QPlainTextEdit, QWidget

MAX_LINES = 6


def http_links(text: str) -> list[str]:
    """The text's lines if every non-empty line is an http(s) URL; else []."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if not lines or any(
        " " in line or urlsplit(line).scheme not in ("http", "https") for line in lines
    ):
        return []
    return lines


def looks_like_file(url: str) -> bool:
    ext = posixpath.splitext(urlsplit(url).path)[1]
    return 1 < len(ext) <= 6


class ComposerEdit(QPlainTextEdit):
    submitted = Signal()
    escaped = Signal()
    links_added = Signal(list)  # list[str]
    rejected = Signal(str)  # a sentence saying why a drop was refused

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ComposerEdit")
        self.setAccessibleName("Message")
        self.setPlaceholderText("Message")
        self.setTabChangesFocus(True)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self._dropping = False
        self.document().contentsChanged.connect(self._fit_height)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.insertPlainText("\n")
            else:
                self.submitted.emit()  # Enter and Ctrl+Enter both send
            return
        if key == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)

    # --- drag and drop, paste ------------------------------------------------------------------
    def canInsertFromMimeData(self, source: QMimeData) -> bool:
        return source.hasUrls() or source.hasText() or super().canInsertFromMimeData(source)

    def dropEvent(self, event: QDropEvent) -> None:
        self._dropping = True
        try:
            super().dropEvent(event)
        finally:
            self._dropping = False

    def insertFromMimeData(self, source: QMimeData) -> None:
        links = self._links(source)
        if links:
            self.links_added.emit(links)
            return
        if source.hasUrls() and any(url.isLocalFile() for url in source.urls()):
            self.rejected.emit(
                "Blooio sends attachments as links: upload the file somewhere public and drop its link."
            )
            return
        if source.hasText():
            self.insertPlainText(source.text())

    def _links(self, source: QMimeData) -> list[str]:
        if source.hasUrls():
            urls = [u.toString() for u in source.urls() if u.scheme() in ("http", "https")]
            if urls:
                return urls
        links = http_links(source.text()) if source.hasText() else []
        if links and (self._dropping or all(looks_like_file(link) for link in links)):
            return links
        return []

    def _fit_height(self) -> None:
        lines = max(1, min(MAX_LINES, int(self.document().size().height())))
        margins = self.contentsMargins()
        frame = int(self.document().documentMargin() * 2) + margins.top() + margins.bottom()
        self.setFixedHeight(lines * self.fontMetrics().lineSpacing() + frame + 8)
