"""`blooio-desktop sandbox`: run the Blooio-compatible sandbox until SIGINT/SIGTERM.

Once it accepts connections it prints exactly one JSON line, `{"base_url": …, "api_key": …}`, so
scripts and test fixtures can start it with `--port 0` and read where it listens.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from pathlib import Path

from blooio_desktop.sandbox import SandboxServer

HELP = "Run the built-in Blooio-compatible sandbox server."


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"speed must be a number, got {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError("speed must be greater than 0")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=0, help="TCP port; 0 picks a free one (default)"
    )
    parser.add_argument(
        "--api-key", help="API key clients must send (default: a random bl_sandbox_… key)"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--data-dir", type=Path, help="keep state in an SQLite file in DIR across restarts"
    )
    where.add_argument("--memory", action="store_true", help="keep state in memory only (default)")
    parser.add_argument(
        "--seed",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="start with demo contacts, chats and history (default: --seed)",
    )
    parser.add_argument(
        "--speed", type=_speed, default=1.0, help="simulation speed factor (default 1)"
    )


def run(args: argparse.Namespace) -> int:
    return asyncio.run(_serve(args))


async def _serve(args: argparse.Namespace) -> int:
    data_dir = None if args.memory else args.data_dir
    server = SandboxServer(
        host=args.host,
        port=args.port,
        api_key=args.api_key,
        data_dir=data_dir,
        seed=args.seed,
        speed=args.speed,
    )
    try:
        await server.start()
    except OSError as exc:
        print(
            f"blooio-desktop sandbox: cannot listen on {args.host}:{args.port}: {exc}",
            file=sys.stderr,
        )
        return 2
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    print(json.dumps({"base_url": server.base_url, "api_key": server.api_key}), flush=True)
    try:
        await stop.wait()
    finally:
        await server.stop()
    return 0
