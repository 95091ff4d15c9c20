"""Help → About: what this is, which version, and where its logs are (for bug reports).

Also home of `open_folder()`, which the Help menu's "Open logs folder" uses directly.
"""

from __future__ import annotations

import platform
from collections.abc import Callable
from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QDesktopServices, QGuiApplication, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from blooio_desktop import __version__
from blooio_desktop.ui.icons import app_icon

DOCS_URL = "https://docs.blooio.com"
WEBSITE_URL = "https://blooio.com"
LICENSE = "MIT License"
UrlOpener = Callable[[QUrl], bool]


def open_folder(folder: Path, open_url: UrlOpener = QDesktopServices.openUrl) -> bool:
    """Show `folder` in the system file manager (creating it first); False if nothing could open it."""
    folder.mkdir(parents=True, exist_ok=True)
    return bool(open_url(QUrl.fromLocalFile(str(folder))))


def version_report() -> str:
    """The versions a bug report needs, one per line, nothing personal."""
    return "\n".join(
        [
            f"Blooio Desktop {__version__}",
            f"Qt {qVersion()} · PySide6 {PySide6.__version__} · Python {platform.python_version()}",
            f"{platform.system()} {platform.release()} ({platform.machine()}), {QGuiApplication.platformName()}",
        ]
    )


class AboutDialog(QDialog):
    """App icon, version, links, license, library versions, and a button to the logs folder."""

    def __init__(
        self,
        log_dir: Path,
        parent: QWidget | None = None,
        *,
        open_url: UrlOpener = QDesktopServices.openUrl,
    ) -> None:
        super().__init__(parent)
        self._log_dir = log_dir
        self._open_url = open_url
        self.setWindowTitle("About Blooio Desktop")
        self.setObjectName("aboutDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # callers open it and forget it

        icon = QLabel()
        icon.setObjectName("aboutIcon")
        icon.setPixmap(app_icon().pixmap(96, 96))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)

        title = QLabel(
            f"<span style='font-size:18pt; font-weight:600'>Blooio Desktop</span><br>Version {__version__}"
        )
        title.setObjectName("aboutTitle")
        title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        blurb = QLabel(
            "iMessage, SMS and RCS from your desktop through the Blooio API, with a workbench for its webhooks."
        )
        blurb.setWordWrap(True)
        links = QLabel(
            f"<a href='{DOCS_URL}'>Blooio API documentation</a> · <a href='{WEBSITE_URL}'>blooio.com</a>"
        )
        links.setObjectName("aboutLinks")
        links.setTextFormat(Qt.TextFormat.RichText)
        links.setOpenExternalLinks(False)
        links.linkActivated.connect(lambda href: self._open_url(QUrl(href)))
        license_label = QLabel(f"Free software under the {LICENSE}.")
        # The title above already names the app: show the library and system lines only.
        self.versions = QLabel(version_report().split("\n", 1)[1])
        self.versions.setObjectName("aboutVersions")
        self.versions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        muted = self.versions.palette()
        muted.setColor(
            QPalette.ColorRole.WindowText, muted.color(QPalette.ColorRole.PlaceholderText)
        )
        self.versions.setPalette(muted)
        self.log_location = QLabel(f"Logs: {log_dir}")
        self.log_location.setWordWrap(True)
        self.log_location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        text = QVBoxLayout()
        text.setSpacing(8)
        for widget in (title, blurb, links, license_label, self.versions, self.log_location):
            text.addWidget(widget)
        header = QHBoxLayout()
        header.setSpacing(20)
        header.addWidget(icon)
        header.addLayout(text, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_logs_button = QPushButton("Open logs folder")
        self.copy_button = QPushButton("Copy version info")
        buttons.addButton(self.open_logs_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.open_logs_button.clicked.connect(self.open_logs)
        self.copy_button.clicked.connect(self.copy_versions)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 16)
        layout.setSpacing(16)
        layout.addLayout(header)
        layout.addWidget(buttons)
        self.setMinimumWidth(520)

    def open_logs(self) -> bool:
        opened = open_folder(self._log_dir, self._open_url)
        if not opened:
            self.log_location.setText(f"Logs: {self._log_dir} (no file manager could open it)")
        return opened

    def copy_versions(self) -> None:
        QGuiApplication.clipboard().setText(version_report())
        self.copy_button.setText("Copied")
