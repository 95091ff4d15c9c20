"""The Linux menu entry and AppStream metadata validate, and install.sh installs and removes them."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
DESKTOP = LINUX / "com.blooio.Desktop.desktop"
METAINFO = LINUX / "com.blooio.Desktop.metainfo.xml"

needs_desktop_file_utils = pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate missing: apt-get install desktop-file-utils",
)
needs_appstream = pytest.mark.skipif(
    shutil.which("appstreamcli") is None, reason="appstreamcli missing: apt-get install appstream"
)


def validate_desktop(path: Path) -> None:
    result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True, text=True)
    # It exits 0 on hints too; a clean file prints nothing at all.
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


@needs_desktop_file_utils
def test_the_desktop_entry_is_valid() -> None:
    validate_desktop(DESKTOP)


@needs_appstream
def test_the_appstream_metainfo_is_valid() -> None:
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", str(METAINFO)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_metadata_agrees_with_the_app() -> None:
    from blooio_desktop import __version__

    desktop, metainfo = DESKTOP.read_text(), METAINFO.read_text()
    assert "Exec=blooio-desktop %u\n" in desktop and "Icon=com.blooio.Desktop\n" in desktop
    # the app opens sms:, smsto: and imessage: links (`blooio-desktop gui LINK`)
    for scheme in ("sms", "smsto", "imessage"):
        assert f"x-scheme-handler/{scheme};" in desktop
    assert f'<release version="{__version__}"' in metainfo
    assert '<launchable type="desktop-id">com.blooio.Desktop.desktop</launchable>' in metainfo
    assert "docs/screenshots/main-light.png" in metainfo
    assert '<content_rating type="oars-1.1">' in metainfo


@needs_desktop_file_utils
def test_install_sh_installs_a_valid_entry_with_icons_and_uninstalls(tmp_path: Path) -> None:
    prefix = tmp_path / "share"
    launcher = "/opt/Blooio Desktop/blooio-desktop"
    env = {**os.environ, "HOME": str(tmp_path)}
    subprocess.run(
        [str(LINUX / "install.sh"), "--prefix", str(prefix), "--exec", launcher],
        check=True,
        env=env,
        capture_output=True,
    )
    entry = prefix / "applications" / "com.blooio.Desktop.desktop"
    validate_desktop(entry)
    assert f'Exec="{launcher}" %u\n' in entry.read_text()
    assert f'Exec="{launcher}" --minimized\n' in entry.read_text()
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert (
            prefix / "icons" / "hicolor" / f"{size}x{size}" / "apps" / "com.blooio.Desktop.png"
        ).is_file()
    assert (prefix / "icons" / "hicolor" / "scalable" / "apps" / "com.blooio.Desktop.svg").is_file()
    assert (prefix / "metainfo" / "com.blooio.Desktop.metainfo.xml").is_file()

    subprocess.run(
        [str(LINUX / "install.sh"), "--prefix", str(prefix), "--uninstall"],
        check=True,
        env=env,
        capture_output=True,
    )
    assert not entry.exists()
    assert not list(prefix.rglob("com.blooio.Desktop*"))


def test_install_sh_refuses_without_a_launcher_and_says_why(tmp_path: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [str(LINUX / "install.sh"), "--prefix", str(tmp_path / "share")],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "blooio-desktop is not on PATH" in result.stderr
