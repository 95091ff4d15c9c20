""" "Alice is typing…" under the messages, with animated dots; hides itself if no stop ever comes."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

AUTO_HIDE_MS = 8000


class TypingIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("TypingLabel")
        self.setAccessibleName("Typing indicator")
        self._who = ""
        self._dots = 0
        self._tick = QTimer(self, interval=400)
        self._tick.timeout.connect(self._animate)
        self._expire = QTimer(self, singleShot=True, interval=AUTO_HIDE_MS)
        self._expire.timeout.connect(self.stop)
        self.hide()

    def start(self, who: str) -> None:
        self._who = who
        self._dots = 0
        self._animate()
        self.show()
        self._tick.start()
        self._expire.start()

    def stop(self) -> None:
        self._tick.stop()
        self._expire.stop()
        self.hide()

    def _animate(self) -> None:
        self._dots = self._dots % 3 + 1
        self.setText(f"{self._who} is typing" + "." * self._dots)
