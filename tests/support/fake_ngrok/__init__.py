"""Install the stand-in ngrok agent as an executable in a temp folder (shebang = this interpreter),
and reach the agent pyngrok started from it: crash it, or make it move to a new public URL."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import httpx
from pyngrok import conf, ngrok, process
from pyngrok.process import NgrokProcess

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


def running_agent(ngrok_path: Path, config_path: Path) -> NgrokProcess:
    """The agent pyngrok runs from `ngrok_path`; fails (never starts one) when none is running."""
    assert process.is_process_running(str(ngrok_path)), "no ngrok agent is running"
    config = conf.PyngrokConfig(ngrok_path=str(ngrok_path), config_path=str(config_path))
    return ngrok.get_ngrok_process(config)


def crash_agent(ngrok_path: Path, config_path: Path) -> None:
    """SIGKILL the agent, as if it crashed or the user killed it."""
    agent = running_agent(ngrok_path, config_path)
    agent.proc.kill()
    agent.proc.wait()


def reconnect_agent(ngrok_path: Path, config_path: Path) -> None:
    """Make the live agent move its tunnels to new public URLs (the agent keeps running)."""
    agent = running_agent(ngrok_path, config_path)
    httpx.post(f"{agent.api_url}/_fake/reconnect", timeout=5).raise_for_status()
