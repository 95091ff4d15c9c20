"""Composition root for the command line: `blooio-desktop [SUBCOMMAND]`.

With no subcommand (or just a link to open) the desktop window starts; subcommands (sandbox, send, listen, trigger) run headless.
Each subcommand lives in `blooio_desktop.commands.<name>` and is imported only when used, so a
headless command never loads Qt.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from blooio_desktop import __version__

SUBCOMMANDS: dict[str, str] = {
    "gui": "Open the desktop window (the default).",
    "sandbox": "Run the built-in Blooio-compatible sandbox server.",
    "send": "Send a message from the command line.",
    "listen": "Receive and verify webhooks locally, optionally through a tunnel.",
    "trigger": "Post a signed sample webhook event to a URL.",
}


def _load(name: str) -> ModuleType:
    return importlib.import_module(f"blooio_desktop.commands.{name}")


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blooio-desktop",
        description="Blooio Desktop: iMessage / SMS / RCS from your desktop, and a webhook workbench.",
    )
    parser.add_argument("--version", action="version", version=f"blooio-desktop {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    wanted = next((a for a in argv if not a.startswith("-")), None)
    for name, help_text in SUBCOMMANDS.items():
        sp = sub.add_parser(name, help=help_text, description=help_text)
        # Only the chosen subcommand's module is imported: building all would import Qt for `send`.
        if name == wanted:
            _load(name).add_arguments(sp)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in args_list if not a.startswith("-")), None)
    opening_link = first is not None and first not in SUBCOMMANDS and ":" in first
    if opening_link or (
        first is None and not any(a in ("-h", "--help", "--version") for a in args_list)
    ):
        # The window is the default, also for `blooio-desktop sms:…`.
        args_list = ["gui", *args_list]
    parser = build_parser(args_list)
    args = parser.parse_args(args_list)
    if args.command is None:
        parser.print_help()
        return 0
    if args.command == "gui":
        import_app()
    result: int = _load(args.command).run(args)
    return result


def import_app() -> None:
    """Import the window's composition root (once) with the garbage collector out of the way.

    The import builds ~60k objects that live as long as the process: collecting while it runs costs
    ~20 ms of scans before the first paint, and so would the first full collection after it. So the
    collector waits, then leaves what the import built alone (`gc.freeze`); the window's own
    collector (`MainThreadGarbageCollector`) takes over from there.
    """
    if "blooio_desktop.app" in sys.modules:
        return
    enabled = gc.isenabled()
    gc.disable()
    try:
        importlib.import_module("blooio_desktop.app")
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


if __name__ == "__main__":
    raise SystemExit(main())
