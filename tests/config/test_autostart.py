"""Launch at login: an XDG autostart entry that starts the app minimized, or clear manual steps."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from blooio_desktop.config import autostart
from blooio_desktop.config.autostart import Autostart, default_command, exec_line


@pytest.fixture
def linux(tmp_path: Path) -> Autostart:
    return Autostart(
        "linux", tmp_path / "autostart", ["/opt/blooio/bin/blooio-desktop", "--minimized"]
    )


def test_enabling_writes_an_entry_that_starts_minimized(linux: Autostart) -> None:
    message = linux.set_enabled(True)
    assert "start minimized" in message
    assert linux.is_enabled()
    text = linux.entry_path.read_text()
    assert "Exec=/opt/blooio/bin/blooio-desktop --minimized" in text
    assert "Icon=com.blooio.Desktop" in text
    assert not list(linux.entry_path.parent.glob("*.tmp"))


def test_disabling_removes_the_entry_and_is_harmless_twice(linux: Autostart) -> None:
    linux.set_enabled(True)
    assert "no longer" in linux.set_enabled(False)
    assert not linux.entry_path.exists()
    assert not linux.is_enabled()
    linux.set_enabled(False)


def test_an_entry_hidden_by_the_desktop_counts_as_off(linux: Autostart) -> None:
    linux.set_enabled(True)
    linux.entry_path.write_text(linux.entry_path.read_text() + "Hidden=true\n")
    assert not linux.is_enabled()


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_other_platforms_change_nothing_and_say_what_to_do(platform: str, tmp_path: Path) -> None:
    other = Autostart(platform, tmp_path / "autostart", ["blooio-desktop", "--minimized"])
    assert not other.supported
    message = other.set_enabled(True)
    assert "Login Items" in message or "shell:startup" in message
    assert not (tmp_path / "autostart").exists()
    assert not other.is_enabled()


def test_the_default_folder_follows_xdg_config_home(tmp_path: Path) -> None:
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg"), "PATH": ""}
    assert (
        Autostart.default(env).entry_path
        == tmp_path / "xdg" / "autostart" / "blooio-desktop.desktop"
    )


def test_without_xdg_config_home_it_is_dot_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert (
        Autostart.default({"PATH": ""}).entry_path
        == tmp_path / ".config" / "autostart" / "blooio-desktop.desktop"
    )


def test_the_command_uses_the_installed_launcher_by_absolute_path(tmp_path: Path) -> None:
    launcher = tmp_path / "bin" / "blooio-desktop"
    launcher.parent.mkdir()
    launcher.write_text("#!/bin/sh\n")
    launcher.chmod(0o755)
    assert default_command({"PATH": str(launcher.parent)}) == [str(launcher), "--minimized"]


def test_without_a_launcher_this_interpreter_runs_the_module() -> None:
    assert default_command({"PATH": ""}) == [sys.executable, "-m", "blooio_desktop", "--minimized"]


def test_a_custom_app_home_is_carried_into_the_login_session() -> None:
    command = default_command({"PATH": "", "BLOOIO_DESKTOP_HOME": "/data/my blooio"})
    assert command[:2] == ["env", "BLOOIO_DESKTOP_HOME=/data/my blooio"]


def test_a_frozen_bundle_starts_its_own_executable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autostart.sys, "frozen", True, raising=False)
    assert default_command({"PATH": ""}) == [sys.executable, "--minimized"]


def test_exec_arguments_are_quoted_per_the_desktop_entry_spec() -> None:
    line = exec_line(["/home/a b/bin/blooio-desktop", "--minimized", "100%", 'say "$x"'])
    assert line == '"/home/a b/bin/blooio-desktop" --minimized 100%% "say \\\\"\\\\$x\\\\""'


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None, reason="needs desktop-file-utils (apt)"
)
def test_the_entry_passes_desktop_file_validate(tmp_path: Path) -> None:
    entry = Autostart(
        "linux",
        tmp_path,
        ["env", "BLOOIO_DESKTOP_HOME=/tmp/a b", "/usr/bin/blooio-desktop", "--minimized"],
    )
    entry.set_enabled(True)
    result = subprocess.run(
        ["desktop-file-validate", str(entry.entry_path)], capture_output=True, text=True
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr
