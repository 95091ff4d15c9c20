"""The one dialog shown when the account's message database cannot be opened at start-up.

It says what is wrong in the store's own words and offers only what can help: a damaged file can
be moved aside (kept, renamed) and rebuilt from Blooio, a file locked by another program can be
tried again, anything else can only be quit. `choose()` opens it without a nested event loop
(design.md §5: never `exec()` inside a coroutine) and resolves with the user's choice.
"""

from __future__ import annotations

import asyncio
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QMessageBox, QPushButton, QWidget

from blooio_desktop.core.errors import BlooioError, StoreError
from blooio_desktop.ui.error_text import describe_error

REBUILD_TEXT = "Move it aside and rebuild from Blooio"
READ_ONLY_TEXT = "Open read-only"
LOCKED_TEXT = (
    "The message database is in use by another Blooio Desktop, or by another program "
    "(a database browser, a backup or sync tool). Close it, then choose Retry."
)


class StoreErrorChoice(Enum):
    REBUILD = "rebuild"  # move the damaged file aside, open a fresh one, sync fills it again
    RETRY = "retry"
    READ_ONLY = "read_only"  # the disk is full: read the history, save nothing until restarted
    QUIT = "quit"


class StoreErrorDialog(QMessageBox):
    """Explains why `path` cannot be opened; closing it any other way than a choice means Quit."""

    def __init__(self, error: BlooioError, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("StoreErrorDialog")
        # Shown before any window: closing it must not count as "the last window closed" (quit);
        # the choice decides.
        self.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
        self.setIcon(QMessageBox.Icon.Critical)
        self.choices: dict[StoreErrorChoice, QPushButton] = {}
        kind = error.kind if isinstance(error, StoreError) else None
        if kind == StoreError.CORRUPT:
            self.setWindowTitle("Message database damaged")
            self.setText(error.message)
            self.setInformativeText(
                f"{REBUILD_TEXT}: the damaged file stays next to the new one as "
                f"“{path.name}.damaged-…”, nothing is deleted, and your history is downloaded "
                f"again.\n\nFile: {path}"
            )
            self._add(StoreErrorChoice.REBUILD, REBUILD_TEXT, QMessageBox.ButtonRole.AcceptRole)
        elif kind == StoreError.LOCKED:
            self.setWindowTitle("Message database in use")
            self.setText(LOCKED_TEXT)
            self.setInformativeText(f"File: {path}")
            self._add(StoreErrorChoice.RETRY, "Retry", QMessageBox.ButtonRole.AcceptRole)
        elif kind == StoreError.FULL and path.exists():
            self.setWindowTitle("Disk full")
            self.setText(error.message)
            self.setInformativeText(
                f"{READ_ONLY_TEXT} to read your history now: new messages are not saved (nor sent) "
                f"until you free some space and start Blooio Desktop again.\n\nFile: {path}"
            )
            self._add(StoreErrorChoice.READ_ONLY, READ_ONLY_TEXT, QMessageBox.ButtonRole.AcceptRole)
        else:
            self.setWindowTitle(
                "Cannot open the message database" if kind else "Blooio Desktop cannot start"
            )
            self.setText(describe_error(error))
            if kind:
                self.setInformativeText(f"File: {path}")
        quit_button = self._add(StoreErrorChoice.QUIT, "Quit", QMessageBox.ButtonRole.RejectRole)
        self.setEscapeButton(quit_button)
        self.setDefaultButton(next(iter(self.choices.values())))  # the way forward, if any

    async def choose(self) -> StoreErrorChoice:
        """Show the dialog (non-blocking) and wait for the choice."""
        chosen: asyncio.Future[StoreErrorChoice] = asyncio.get_running_loop().create_future()

        def finished(_result: int) -> None:
            if not chosen.done():
                chosen.set_result(self._choice_for(self.clickedButton()))

        self.finished.connect(finished)
        self.open()
        return await chosen

    def _add(
        self, choice: StoreErrorChoice, text: str, role: QMessageBox.ButtonRole
    ) -> QPushButton:
        button = self.addButton(text, role)
        self.choices[choice] = button
        return button

    def _choice_for(self, button: QAbstractButton | None) -> StoreErrorChoice:
        return next((c for c, b in self.choices.items() if b is button), StoreErrorChoice.QUIT)
