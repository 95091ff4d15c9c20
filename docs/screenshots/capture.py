"""Produce the README screenshots: the real app on sandbox data, under Xvfb, light and dark.

    python docs/screenshots/capture.py            # writes docs/screenshots/*.png

Starts `Xvfb :99` when no display is given (install with `apt-get install -y xvfb`), then runs the
app itself in a child process with `QT_QPA_PLATFORM=xcb` and a throwaway BLOOIO_DESKTOP_HOME, waits
for the sandbox sync, and grabs the main window, the workbench and the account dialog.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DISPLAY = ":99"
SIZE = (1280, 800)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return capture(args.out)
    xvfb = None
    env = dict(os.environ)
    if not env.get("DISPLAY") or env.get("QT_QPA_PLATFORM") == "offscreen":
        if shutil.which("Xvfb") is None:
            sys.exit("Xvfb is missing: apt-get install -y xvfb")
        xvfb = subprocess.Popen(
            ["Xvfb", DISPLAY, "-screen", "0", "1400x900x24", "-nolisten", "tcp"]
        )
        time.sleep(1.0)
        env["DISPLAY"] = DISPLAY
    env["QT_QPA_PLATFORM"] = "xcb"
    with tempfile.TemporaryDirectory(prefix="blooio-shots-") as home:
        env["BLOOIO_DESKTOP_HOME"] = home
        env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.null.Keyring"  # nothing real is read
        try:
            return subprocess.run(
                [sys.executable, __file__, "--child", "--out", str(args.out)], env=env, check=False
            ).returncode
        finally:
            if xvfb is not None:
                xvfb.terminate()
                xvfb.wait(5)


def capture(out: Path) -> int:
    import qasync
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QWidget

    from blooio_desktop.app import DesktopApp, GuiOptions, create_qapp
    from blooio_desktop.ui.dialogs.account_dialog import AccountDialog

    qapp = create_qapp()
    app = DesktopApp(qapp, GuiOptions(force_sandbox=True, sandbox_speed=4.0))
    app.settings.update(window_geometry=None, theme="light")
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)

    async def settle(seconds: float = 0.6) -> None:
        await asyncio.sleep(seconds)  # the qasync loop keeps processing Qt events meanwhile

    def save(widget: QWidget, name: str) -> None:
        widget.grab().save(str(out / name))
        print("wrote", out / name)

    async def shoot() -> None:
        while app.window is None or app.window.chat_model.rowCount() < 4:
            await asyncio.sleep(0.1)
        window = app.window
        window.resize(*SIZE)
        window.move(40, 40)
        await settle(2.0)
        model = window.chat_model
        first = next(
            (
                model.item(r).chat.id
                for r in range(model.rowCount())
                if not model.item(r).chat.is_group
            ),
            model.item(0).chat.id,
        )
        window.sidebar.select_chat(first)
        await settle(0.5)
        composer = window.thread_panel.composer
        composer.edit.setPlainText("Sounds great, see you Friday! Menu: https://example.com/menu")
        composer.submit()
        await settle(6.0)  # the sandbox delivers, reads and replies
        save(window, "main-light.png")
        app.settings.update(theme="dark")
        await settle()
        save(window, "main-dark.png")
        app.settings.update(theme="light")
        window.resize(1380, 880)
        window.workbench_dock.show()
        window.resizeDocks([window.workbench_dock], [400], Qt.Orientation.Vertical)
        await settle(0.5)
        window.workbench_dock.select_row(0)
        await settle(1.0)
        save(window, "workbench.png")
        window.workbench_dock.hide()
        dialog = AccountDialog(app.context, window)
        dialog.show()
        await settle()
        save(dialog, "account-dialog.png")
        dialog.close()
        app.quit()

    async def main_coro() -> int:
        task = asyncio.ensure_future(shoot())
        code = await app.run()
        if task.done() and task.exception():
            raise task.exception()  # type: ignore[misc]
        return code

    with loop:
        return loop.run_until_complete(main_coro())


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    raise SystemExit(main())
