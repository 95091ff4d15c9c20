"""A second launch hands over to the running instance instead of starting another app."""

from __future__ import annotations

import socket
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDir
from PySide6.QtNetwork import QLocalSocket
from pytestqt.qtbot import QtBot

from blooio_desktop.config.paths import AppPaths
from blooio_desktop.ui.single_instance import ACTIVATE, SingleInstance, server_name


@pytest.fixture
def name(tmp_path: Path) -> str:
    return server_name(AppPaths.under(tmp_path))


@pytest.fixture
def first(name: str, qtbot: QtBot) -> Iterator[SingleInstance]:
    instance = SingleInstance(name)
    assert instance.try_claim()
    yield instance
    instance.release()


def test_the_first_launch_claims_and_a_second_one_activates_it(
    first: SingleInstance, name: str, qtbot: QtBot
) -> None:
    second = SingleInstance(name)
    with qtbot.waitSignal(first.activated, timeout=5000):
        assert second.try_claim() is False
    assert first.is_primary
    assert not second.is_primary


def test_a_second_launch_for_a_link_hands_the_link_over(
    first: SingleInstance, name: str, qtbot: QtBot
) -> None:
    link = "sms:+15551234567?body=Caf%C3%A9 at 8"
    with (
        qtbot.waitSignal(first.activated, timeout=5000),
        qtbot.waitSignal(first.link_received, timeout=5000) as received,
    ):
        assert SingleInstance(name).try_claim(link) is False
    assert received.args == [link]


def test_a_second_process_activates_the_first_and_exits_zero(
    first: SingleInstance, name: str, qtbot: QtBot
) -> None:
    script = textwrap.dedent(
        f"""
        from PySide6.QtCore import QCoreApplication
        from blooio_desktop.ui.single_instance import ALREADY_RUNNING, SingleInstance
        app = QCoreApplication([])
        if SingleInstance({name!r}).try_claim():
            raise SystemExit("claimed although another instance runs")
        print(ALREADY_RUNNING)
        """
    )
    with qtbot.waitSignal(first.activated, timeout=10000):
        child = subprocess.Popen(
            [sys.executable, "-c", script],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert "already running" in out


def _next_launch_becomes_the_instance(name: str) -> None:
    instance = SingleInstance(name)
    try:
        assert instance.try_claim()
        assert instance.is_primary
    finally:
        instance.release()


def test_after_release_the_next_launch_becomes_the_instance(
    first: SingleInstance, name: str
) -> None:
    first.release()
    _next_launch_becomes_the_instance(name)


@pytest.mark.skipif(sys.platform == "win32", reason="stale socket files exist on Unix only")
def test_a_socket_left_behind_by_a_crashed_instance_is_taken_over(name: str) -> None:
    path = Path(QDir.tempPath()) / name
    stale = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    stale.bind(str(path))  # bound but never listening: what a killed process leaves behind
    stale.close()
    _next_launch_becomes_the_instance(name)


def test_different_app_homes_do_not_collide(tmp_path: Path) -> None:
    one = server_name(AppPaths.under(tmp_path / "one"))
    two = server_name(AppPaths.under(tmp_path / "two"))
    assert one != two
    assert one == server_name(AppPaths.under(tmp_path / "one"))
    assert len(one) < 40  # Unix socket paths are capped near 100 bytes


def test_unknown_messages_are_ignored(
    first: SingleInstance, name: str, qtbot: QtBot, caplog: pytest.LogCaptureFixture
) -> None:
    emitted: list[bool] = []
    first.activated.connect(lambda: emitted.append(True))
    client = QLocalSocket()
    client.connectToServer(name)
    assert client.waitForConnected(2000)
    with qtbot.waitSignal(first.activated, timeout=5000):
        client.write(b"format c:\n" + ACTIVATE)
        client.waitForBytesWritten(2000)
    client.disconnectFromServer()
    assert emitted == [True]
    assert "ignored an unknown single-instance message" in caplog.text
