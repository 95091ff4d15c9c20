"""What every small dialog shares: one vertical layout, so margins and spacing match across them,
and the action button + Cancel row."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QVBoxLayout

Button = QDialogButtonBox.StandardButton


def dialog_layout(dialog: QDialog) -> QVBoxLayout:
    layout = QVBoxLayout(dialog)
    layout.setContentsMargins(22, 20, 22, 16)
    layout.setSpacing(10)
    return layout


def dialog_buttons(
    dialog: QDialog,
    on_accept: Callable[[], object],
    action: Button = Button.Ok,
    text: str | None = None,
) -> tuple[QDialogButtonBox, QPushButton]:
    """The `action` button (relabelled with what it does when `text` is given) and Cancel, which
    rejects the dialog; accepting calls `on_accept`, which decides whether the dialog closes."""
    buttons = QDialogButtonBox(action | Button.Cancel, dialog)
    button = buttons.button(action)
    if text is not None:
        button.setText(text)
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, button
