"""`blooio-desktop [gui]`: open the desktop window (the default command).

With no API key configured anywhere the app opens on the built-in sandbox; `--sandbox` forces it.
`BLOOIO_DESKTOP_HOME=DIR` keeps settings, data and logs under DIR (portable installs, demos).
`blooio-desktop sms:+15551234567?body=Hi` opens that conversation with the text ready to send — the
desktop entry registers the app for sms:, smsto: and imessage: links; a running app takes them over.
"""

from __future__ import annotations

import argparse

HELP = "Open the desktop window (the default)."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "link",
        nargs="?",
        metavar="LINK",
        help="an sms:, smsto: or imessage: link to open (how the desktop hands links over)",
    )
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="use the built-in sandbox even if an API key is configured",
    )
    parser.add_argument("--minimized", action="store_true", help="start in the system tray")
    parser.add_argument(
        "--sandbox-speed",
        type=float,
        default=1.0,
        metavar="F",
        help="sandbox time multiplier (2 = contacts reply twice as fast)",
    )


def run(args: argparse.Namespace) -> int:
    # Qt is imported only when the window is really wanted, never for `--help` of another command.
    from blooio_desktop.app import GuiOptions
    from blooio_desktop.app import run as run_app

    if args.sandbox_speed <= 0:
        raise SystemExit("blooio-desktop: --sandbox-speed must be greater than 0")
    return run_app(
        GuiOptions(
            force_sandbox=args.sandbox,
            minimized=args.minimized,
            sandbox_speed=args.sandbox_speed,
            link=args.link,
        )
    )
