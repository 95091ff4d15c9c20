"""Run `python -m blooio_desktop <subcommand>` as a real child process and read its JSON lines."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import Any


async def spawn(*args: str, env: dict[str, str] | None = None) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "blooio_desktop", *args,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, env=env,
    )  # fmt: skip


async def read_json_line(proc: asyncio.subprocess.Process, timeout: float = 20.0) -> dict[str, Any]:
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), timeout)
    if not line:
        stderr = await proc.stderr.read() if proc.stderr else b""
        raise AssertionError(f"process ended without output: {stderr.decode()}")
    result: dict[str, Any] = json.loads(line)
    return result


async def run_to_end(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    proc = await spawn(*args, env=env)
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    return proc.returncode or 0, out.decode(), err.decode()
