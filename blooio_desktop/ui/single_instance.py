"""One running app per user and app home: a second launch raises the first window and exits.

The first process listens on a local socket (a Unix socket or a Windows named pipe) named after the
user and the app home; a later launch connects, sends `activate` (or `open LINK` when the desktop
started it for an sms:/imessage: link), and quits. Keying by app home lets
test runs and portable installs with their own `BLOOIO_DESKTOP_HOME` run side by side.
"""

from __future__ import annotations

import getpass
import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from blooio_desktop.config.paths import AppPaths

log = logging.getLogger(__name__)

ACTIVATE = b"activate\n"
OPEN = b"open "  # + an sms:/smsto:/imessage: link + newline
MAX_LINK = 8192  # bytes: a link is short; a longer line is not one
ALREADY_RUNNING = "Blooio Desktop is already running; its window was brought to the front."
# Milliseconds a second launch waits for the first: long enough for a busy machine, short enough that
# a hung first instance does not keep the user waiting.
CONNECT_TIMEOUT_MS = 2000


def server_name(paths: AppPaths) -> str:
    """The local socket name for this user and app home (short: Unix socket paths are limited)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no USER variable (some containers)
        user = str(Path.home())
    home = str(paths.config_dir.resolve())
    digest = hashlib.sha256(f"{user}\0{home}".encode()).hexdigest()[:16]
    return f"blooio-desktop-{digest}"


class SingleInstance(QObject):
    """Claims the app's local socket, or hands over to the process that already holds it.

    `try_claim()` returns True when this process is the first (it then emits `activated` whenever a
    later launch pings it) and False after telling the running instance to show itself.
    """

    activated = Signal()
    link_received = Signal(str)  # a later launch was started for this link (after `activated`)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._server: QLocalServer | None = None

    @property
    def name(self) -> str:
        return self._name

    @property
    def is_primary(self) -> bool:
        return self._server is not None and self._server.isListening()

    def try_claim(self, link: str | None = None) -> bool:
        """Listen if nobody else does; otherwise ask the running instance to activate (and to open
        `link`, when this launch was given one)."""
        if self.is_primary:
            return True
        message = ACTIVATE if link is None else _open_message(link)
        # Ask first: on Windows a second server may listen on the same pipe name without an error.
        if self._ping_running_instance(message):
            return False
        server = QLocalServer(self)
        # Default socket options on purpose: with any option set, Qt's listen() silently replaces an
        # existing socket, and two launches racing would both become "the" instance. (The socket
        # file gets the umask's permissions, so other users cannot connect to it.)
        if not server.listen(self._name):
            if self._ping_running_instance(message):  # another launch won the race meanwhile
                server.deleteLater()
                return False
            # Nobody answers: a crashed instance left its socket file behind. Take the name over.
            log.info("removing a stale single-instance socket %s", self._name)
            QLocalServer.removeServer(self._name)
            if not server.listen(self._name):
                # Still no socket (odd file permissions…): run without single-instance rather than not at all.
                log.warning("single-instance socket unavailable: %s", server.errorString())
                server.deleteLater()
                return True
        server.newConnection.connect(self._on_new_connection)
        self._server = server
        return True

    def release(self) -> None:
        """Stop listening (at shutdown), so the next launch starts a fresh instance at once."""
        if self._server is not None:
            self._server.close()
            self._server.deleteLater()
            self._server = None

    def _ping_running_instance(self, message: bytes) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        socket.write(message)
        sent = socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return sent

    def _on_new_connection(self) -> None:
        assert self._server is not None
        while (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._on_ready_read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._on_ready_read(socket)

    def _on_ready_read(self, socket: QLocalSocket) -> None:
        while socket.canReadLine():
            line = bytes(socket.readLine().data())
            if line == ACTIVATE:
                log.info("another launch asked this instance to show itself")
                self.activated.emit()
            elif line.startswith(OPEN) and line.endswith(b"\n") and len(line) <= MAX_LINK:
                log.info("another launch handed this instance a link to open")
                self.activated.emit()
                self.link_received.emit(line[len(OPEN) : -1].decode("utf-8", "replace"))
            else:
                log.warning("ignored an unknown single-instance message (%d bytes)", len(line))


def _open_message(link: str) -> bytes:
    one_line = link.replace("\r", "").replace("\n", "")
    return OPEN + one_line.encode("utf-8") + b"\n"
