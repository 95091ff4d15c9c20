"""Edit a captured body, then re-sign it validly, wrongly or with an expired timestamp and replay it.

The dialog only collects the body and the signing mode; the dock hands them to
`InspectorService.replay_modified`, which does the signing (the secret never reaches the UI).
"""

from __future__ import annotations

import json

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.ui.dialogs.layout import dialog_buttons
from blooio_desktop.ui.error_text import inline_error
from blooio_desktop.ui.workbench.detail import pretty_body

REPLAY_MODES: tuple[tuple[str, str], ...] = (
    ("valid", "Valid signature (fresh timestamp)"),
    ("bad", "Bad signature (wrong secret)"),
    ("expired", "Expired timestamp (outside tolerance)"),
)


class ReplayEditor(QDialog):
    """`body()` and `mode()` are meaningful after `exec()` returns Accepted."""

    def __init__(self, delivery: WebhookDelivery, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Edit and replay delivery #{delivery.id}")
        self.resize(560, 480)
        self.editor = QPlainTextEdit(self)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setPlainText(pretty_body(delivery.body))
        self.editor.setAccessibleName("Body to replay")
        self.mode_box = QComboBox(self)
        self.mode_box.setAccessibleName("Signature")
        for key, label in REPLAY_MODES:
            self.mode_box.addItem(label, key)
        self.error = inline_error(self)
        self.buttons, _ok = dialog_buttons(self, self.accept, text="Sign && replay")
        form = QFormLayout()
        form.addRow("Signature:", self.mode_box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.editor, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.editor.textChanged.connect(self._validate)
        self._validate()

    def set_mode(self, mode: str) -> None:
        self.mode_box.setCurrentIndex(max(0, self.mode_box.findData(mode)))

    def mode(self) -> str:
        return str(self.mode_box.currentData())

    def body(self) -> bytes:
        """Compact JSON when the text parses (what Blooio sends), else the text exactly as typed."""
        text = self.editor.toPlainText()
        try:
            return json.dumps(json.loads(text), separators=(",", ":"), ensure_ascii=False).encode()
        except ValueError:
            return text.encode()

    def _validate(self) -> None:
        """Not-JSON is allowed (testing a listener's error path) but said out loud."""
        try:
            json.loads(self.editor.toPlainText())
        except ValueError as exc:
            self.error.setText(f"Not valid JSON ({exc}); it will be sent as plain text.")
        else:
            self.error.clear()
