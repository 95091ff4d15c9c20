"""Install the stand-in ngrok agent as an executable in a temp folder (shebang = this interpreter)."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

AGENT = Path(__file__).with_name("agent.py")


def install_fake_ngrok(folder: Path) -> Path:
    """Write `folder/ngrok`, an executable that runs the stand-in agent, and return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / "ngrok"
    exe.write_text(
        f"#!{sys.executable}\n"
        "import runpy, sys\n"
        f"sys.argv[0] = {str(AGENT)!r}\n"
        f"runpy.run_path({str(AGENT)!r}, run_name='__main__')\n"
    )
    exe.chmod(exe.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP)
    return exe
