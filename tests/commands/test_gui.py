"""`blooio-desktop [gui]`: its flags, and a bad value refused before any window opens."""

from __future__ import annotations

import pytest

from blooio_desktop.cli import build_parser, main
from blooio_desktop.commands import gui


def test_gui_is_the_default_command_and_takes_its_flags() -> None:
    args = build_parser(["gui", "--sandbox", "--minimized", "--sandbox-speed", "3"]).parse_args(
        ["gui", "--sandbox", "--minimized", "--sandbox-speed", "3"]
    )
    assert (args.command, args.sandbox, args.minimized, args.sandbox_speed) == (
        "gui",
        True,
        True,
        3.0,
    )


def test_a_non_positive_sandbox_speed_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = build_parser(["gui"]).parse_args(["gui", "--sandbox-speed", "0"])
    with pytest.raises(SystemExit) as exc:
        gui.run(args)
    assert "--sandbox-speed must be greater than 0" in str(exc.value)


def test_a_link_alone_opens_the_window_with_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the desktop runs for a clicked sms: link: `blooio-desktop %u`."""
    import blooio_desktop.app

    started: list[blooio_desktop.app.GuiOptions] = []
    monkeypatch.setattr(blooio_desktop.app, "run", lambda options: started.append(options) or 0)
    assert main(["sms:+15551234567?body=Hi", "--minimized"]) == 0
    assert [(o.link, o.minimized) for o in started] == [("sms:+15551234567?body=Hi", True)]
    assert main(["gui", "imessage:ada@example.com"]) == 0
    assert started[-1].link == "imessage:ada@example.com"
