"""Launch at login, minimized to the tray, through the platform's own mechanism.

Linux (and other XDG desktops): a `blooio-desktop.desktop` entry in `$XDG_CONFIG_HOME/autostart/`.
macOS and Windows are not automated yet: `set_enabled()` changes nothing there and says what to do
by hand instead.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from blooio_desktop.config.paths import HOME_ENV

log = logging.getLogger(__name__)

ENTRY_NAME = "blooio-desktop.desktop"
APP_ID = "com.blooio.Desktop"
MANUAL_STEPS = {
    "darwin": "Launch at login is not automatic on macOS yet: add Blooio Desktop under System Settings → "
    "General → Login Items.",
    "win32": "Launch at login is not automatic on Windows yet: press Win+R, open shell:startup and put a "
    "shortcut to Blooio Desktop (with --minimized) there.",
}
# Characters that force quoting of an Exec argument (Desktop Entry spec, "The Exec key").
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`")


def default_command(env: Mapping[str, str] = os.environ) -> list[str]:
    """How to start this same installation at login, as an argument list.

    A frozen bundle starts its own executable; an installed command is used by absolute path (the
    login session's PATH may lack ~/.local/bin); otherwise this interpreter runs the module.
    """
    if getattr(sys, "frozen", False):
        command = [sys.executable]
    elif installed := shutil.which("blooio-desktop", path=env.get("PATH")):
        command = [installed]
    else:
        command = [sys.executable, "-m", "blooio_desktop"]
    command.append("--minimized")
    if home := env.get(HOME_ENV):
        # Start the same app home the user runs now, not the default one.
        command = ["env", f"{HOME_ENV}={home}", *command]
    return command


def exec_line(argv: Sequence[str]) -> str:
    """An argument list quoted for a .desktop `Exec=` key.

    Two rounds of escaping, as the spec says: the Exec quoting rules, then the string-value rule that
    turns every backslash into two.
    """
    return " ".join(_quote(arg) for arg in argv).replace("\\", "\\\\")


def _quote(arg: str) -> str:
    if arg and not (set(arg) & _RESERVED):
        return arg.replace("%", "%%")
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return '"' + escaped.replace("%", "%%") + '"'


class Autostart:
    """Turns launch-at-login on and off for one platform and one autostart folder."""

    def __init__(self, platform: str, autostart_dir: Path, command: Sequence[str]) -> None:
        self._platform = platform
        self._dir = autostart_dir
        self._command = list(command)

    @classmethod
    def default(cls, env: Mapping[str, str] = os.environ) -> Autostart:
        config_home = env.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
        return cls(sys.platform, Path(config_home) / "autostart", default_command(env))

    @property
    def supported(self) -> bool:
        return self._platform not in MANUAL_STEPS

    @property
    def entry_path(self) -> Path:
        return self._dir / ENTRY_NAME

    def is_enabled(self) -> bool:
        if not self.supported or not self.entry_path.is_file():
            return False
        lines = self.entry_path.read_text(encoding="utf-8", errors="replace").splitlines()
        return "Hidden=true" not in (line.strip() for line in lines)

    def set_enabled(self, enabled: bool) -> str:
        """Apply the choice; returns a sentence for the user saying what happened."""
        if not self.supported:
            return MANUAL_STEPS[self._platform]
        if enabled:
            self._dir.mkdir(parents=True, exist_ok=True)
            temporary = self.entry_path.with_suffix(".tmp")
            temporary.write_text(self.entry_text(), encoding="utf-8")
            temporary.replace(self.entry_path)
            log.info("autostart entry written to %s", self.entry_path)
            return "Blooio Desktop will start minimized to the tray when you log in."
        self.entry_path.unlink(missing_ok=True)
        log.info("autostart entry removed from %s", self._dir)
        return "Blooio Desktop will no longer start when you log in."

    def entry_text(self) -> str:
        return "\n".join(
            [
                "[Desktop Entry]",
                "Type=Application",
                "Name=Blooio Desktop",
                "Comment=Start Blooio Desktop minimized to the tray",
                f"Exec={exec_line(self._command)}",
                f"Icon={APP_ID}",
                "Terminal=false",
                "X-GNOME-Autostart-enabled=true",
                "",
            ]
        )
