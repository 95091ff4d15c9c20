"""Help → About shows the version and library versions and opens the logs folder."""

from __future__ import annotations

from pathlib import Path

import PySide6
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from blooio_desktop import __version__
from blooio_desktop.config.paths import AppPaths
from blooio_desktop.ui.about_dialog import AboutDialog, open_folder, version_report


class Opener:
    """Records the URLs the dialog asks the desktop to open, and answers as a desktop would."""

    def __init__(self, works: bool = True) -> None:
        self.urls: list[QUrl] = []
        self.works = works

    def __call__(self, url: QUrl) -> bool:
        self.urls.append(url)
        return self.works


def test_it_shows_the_app_and_library_versions(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path / "logs")
    qtbot.addWidget(dialog)
    text = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert f"Version {__version__}" in text
    assert f"Qt {qVersion()}" in dialog.versions.text()
    assert f"PySide6 {PySide6.__version__}" in dialog.versions.text()
    assert "MIT License" in text
    assert str(tmp_path / "logs") in dialog.log_location.text()
    icon = dialog.findChild(QLabel, "aboutIcon")
    assert icon.pixmap().width() == 96 * icon.pixmap().devicePixelRatio()


def test_open_logs_folder_creates_it_and_hands_it_to_the_desktop(qtbot: QtBot) -> None:
    log_dir = AppPaths.default().log_dir
    opener = Opener()
    dialog = AboutDialog(log_dir, open_url=opener)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.open_logs_button, Qt.MouseButton.LeftButton)
    assert log_dir.is_dir()
    assert [url.toLocalFile() for url in opener.urls] == [str(log_dir)]


def test_when_no_file_manager_opens_it_the_dialog_says_so(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path, open_url=Opener(works=False))
    qtbot.addWidget(dialog)
    assert dialog.open_logs() is False
    assert "no file manager could open it" in dialog.log_location.text()


def test_links_open_in_the_browser(qtbot: QtBot, tmp_path: Path) -> None:
    opener = Opener()
    dialog = AboutDialog(tmp_path, open_url=opener)
    qtbot.addWidget(dialog)
    links = dialog.findChild(QLabel, "aboutLinks")
    links.linkActivated.emit("https://docs.blooio.com")
    assert [url.toString() for url in opener.urls] == ["https://docs.blooio.com"]


def test_copy_version_info_puts_the_report_on_the_clipboard(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = AboutDialog(tmp_path, open_url=Opener())
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == version_report()
    assert version_report().startswith(f"Blooio Desktop {__version__}\n")


def test_open_folder_works_without_the_dialog(tmp_path: Path) -> None:
    opener = Opener()
    assert open_folder(tmp_path / "new" / "logs", opener)
    assert (tmp_path / "new" / "logs").is_dir()
