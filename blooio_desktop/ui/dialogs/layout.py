"""The one vertical layout every small dialog uses, so margins and spacing match across them."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QVBoxLayout


def dialog_layout(dialog: QDialog) -> QVBoxLayout:
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(22, 20, 22, 16)
    layout.setSpacing(10)
    return layout
