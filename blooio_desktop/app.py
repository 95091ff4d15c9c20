"""GUI composition root: one qasync loop, one `Session` of services, the main window on top.

Shutdown follows design.md §5: the app never quits on "last window closed" by itself (closing the
window keeps it in the tray); quitting — from the menu, the tray, SIGINT/SIGTERM, or closing the
window when there is no tray — resolves a future the main coroutine awaits, and only then are the
window, the services and the sandbox torn down, in that order, on the still-running loop.
Saving a new account in the account dialog ends the session and starts a new one for that account.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

# The Qt-free layers before Qt: once PySide6 is loaded it checks every later import for its
# `__feature__` switches, reading the module's source (~20 ms over these, before the first paint).
from blooio_desktop.config.credentials import AccountConfig, resolve_account
from blooio_desktop.config.logging_setup import configure_logging
from blooio_desktop.config.paths import AppPaths
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from blooio_desktop.core.errors import BlooioError, StoreError
from blooio_desktop.core.redact import SecretFilter
from blooio_desktop.services.bus import EventBus
from blooio_desktop.session import Session, database_path
from blooio_desktop.store.quarantine import quarantine

# isort: split
import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QSystemTrayIcon

from blooio_desktop.ui.bridge import BusBridge
from blooio_desktop.ui.context import AppContext, SettingsStore
from blooio_desktop.ui.dialogs.store_error_dialog import StoreErrorChoice, StoreErrorDialog
from blooio_desktop.ui.error_text import describe_error
from blooio_desktop.ui.excepthook import ExceptHook
from blooio_desktop.ui.first_paint import FirstPaint
from blooio_desktop.ui.icons import app_icon
from blooio_desktop.ui.main_thread_gc import MainThreadGarbageCollector
from blooio_desktop.ui.main_window import MainWindow
from blooio_desktop.ui.single_instance import ALREADY_RUNNING, SingleInstance, server_name
from blooio_desktop.ui.theme import apply_theme

log = logging.getLogger(__name__)


class Outcome(Enum):
    QUIT = "quit"
    SWITCH_ACCOUNT = "switch"


@dataclass(frozen=True, slots=True)
class GuiOptions:
    force_sandbox: bool = False
    minimized: bool = False
    sandbox_speed: float = 1.0
    link: str | None = None  # an sms:/smsto:/imessage: link to open once the window is up


class DesktopApp:
    """Owns the application-wide pieces (settings, theme, hooks) and runs sessions until quit."""

    def __init__(
        self,
        qapp: QApplication,
        options: GuiOptions,
        paths: AppPaths | None = None,
        secret_filter: SecretFilter | None = None,
    ) -> None:
        self.qapp = qapp
        self.options = options
        self.secret_filter = secret_filter
        self.paths = (paths or AppPaths.default()).ensure()
        self.settings = SettingsStore(
            Settings.load(self.paths.settings_file), self.paths.settings_file
        )
        self.secrets = SecretStore()
        self.window: MainWindow | None = None
        self.context: AppContext | None = None
        self._outcome: asyncio.Future[Outcome] | None = None
        self.store_dialog: StoreErrorDialog | None = None  # while start-up waits for a choice
        self._quitting = False
        self._ready = False  # the current window has painted and its services started
        self._pending_link = options.link

    # --- lifecycle --------------------------------------------------------------------------------
    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        hook = ExceptHook()
        hook.install()
        loop.set_exception_handler(hook.loop_handler)
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, self.quit)
        self._apply_theme()
        hints = QGuiApplication.styleHints()
        self.settings.changed.connect(self._apply_theme)
        hints.colorSchemeChanged.connect(self._apply_theme)
        self.qapp.lastWindowClosed.connect(self._on_last_window_closed)
        try:
            while not self._quitting:
                if await self.run_session() is Outcome.QUIT:
                    break
        finally:
            hints.colorSchemeChanged.disconnect(self._apply_theme)
            self.qapp.lastWindowClosed.disconnect(self._on_last_window_closed)
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
            hook.uninstall()
        return 0

    async def run_session(self) -> Outcome:
        """Build the services and the window for the current account, run until quit or switch."""
        account, notice = self._resolve_account()
        if account is not None and self.secret_filter is not None:
            self.secret_filter.add(account.api_key)  # masked in every log line from now on
        bus = EventBus()
        session = await self._open_session(account, bus)
        if session is None:
            return Outcome.QUIT
        bridge = BusBridge(bus)
        self.context = context = AppContext(
            paths=self.paths,
            settings=self.settings,
            secrets=self.secrets,
            bus=bus,
            db=session.db,
            client=session.client,
            messaging=session.messaging,
            sync=session.sync,
            outbox=session.messaging.outbox,
            connectivity=session.connectivity,
            inspector=session.inspector,
            sandbox=session.sandbox,
            prober=session.prober,
            account_label=session.account_label,
            is_sandbox=session.is_sandbox,
            bridge=bridge,
        )
        self._outcome = asyncio.get_running_loop().create_future()
        self._ready = False  # until this window has painted
        self.window = window = MainWindow(context)
        window.quit_requested.connect(self.quit)
        window.account_saved.connect(lambda _masked: self._finish(Outcome.SWITCH_ACCOUNT))
        minimized = self.options.minimized or self.settings.value.launch_minimized
        if not (minimized and QSystemTrayIcon.isSystemTrayAvailable()):
            window.show()
        if notice:  # open(), not exec(): a nested event loop inside a coroutine would stall the app
            box = QMessageBox(QMessageBox.Icon.Warning, "Using the sandbox", notice, parent=window)
            box.open()
        # The window paints from the cache first; the tray count, the listener, the tunnel, the
        # webhook registration and the sync start on the loop turn after that paint.
        first_paint = FirstPaint(window, lambda: self._start(window, session))
        try:
            return await self._outcome
        finally:
            first_paint.cancel()
            await self._teardown(session, window, bridge)

    def _start(self, window: MainWindow, session: Session) -> None:
        session.start()  # spawns tasks only: the network work runs once this returns
        window.after_first_paint()
        self._ready = True
        if self._pending_link is not None:
            link, self._pending_link = self._pending_link, None
            window.open_link(link)

    def open_link(self, link: str) -> None:
        """A link from the desktop (this launch's, or a later launch's): opened once the window is
        up; a newer link replaces one still waiting."""
        if self._ready and self.window is not None:
            self.show_window()
            self.window.open_link(link)
        else:
            self._pending_link = link

    async def _open_session(self, account: AccountConfig | None, bus: EventBus) -> Session | None:
        """`Session.open`; when the database cannot be opened, one dialog says why and offers what
        can help (move a damaged file aside and rebuild, retry a locked one, read the history of a
        full disk read-only). None means quit."""
        path = database_path(self.paths, account)
        read_only = False
        while not self._quitting:
            try:
                return await Session.open(
                    paths=self.paths,
                    settings=self.settings.value,
                    secrets=self.secrets,
                    bus=bus,
                    account=account,
                    sandbox_speed=self.options.sandbox_speed,
                    read_only=read_only,
                )
            except BlooioError as exc:
                log.warning("cannot open the session: %s", exc)
                choice = await self._ask(exc, path)
            if choice is StoreErrorChoice.READ_ONLY:
                read_only = True
            elif choice is StoreErrorChoice.REBUILD:
                try:
                    log.warning("damaged database moved aside to %s", quarantine(path))
                except StoreError as exc:
                    await self._ask(exc, path)  # it can only be quit now
                    return None
            elif choice is not StoreErrorChoice.RETRY:
                return None
        return None

    async def _ask(self, error: BlooioError, path: Path) -> StoreErrorChoice:
        self.store_dialog = dialog = StoreErrorDialog(error, path)
        try:
            return await dialog.choose()
        finally:
            self.store_dialog = None
            dialog.deleteLater()

    async def _teardown(self, session: Session, window: MainWindow, bridge: BusBridge) -> None:
        if window.isVisible():
            window.save_layout()
        if window.tray is not None:
            window.tray.close()
        window.close_tasks()
        window.hide()
        bridge.close()
        await session.close()
        window.deleteLater()
        self.window = self.context = None

    # --- quitting -----------------------------------------------------------------------------------
    def quit(self) -> None:
        self._quitting = True
        if self.store_dialog is not None:
            self.store_dialog.reject()  # resolves its choice as Quit
        self._finish(Outcome.QUIT)

    def show_window(self) -> None:
        """A second launch asked this instance to come forward."""
        if self.window is not None:
            self.window.install_tray().show_window()

    def _finish(self, outcome: Outcome) -> None:
        if self._outcome is not None and not self._outcome.done():
            self._outcome.set_result(outcome)

    def _on_last_window_closed(self) -> None:
        """Closing the window keeps the app in the tray; with no tray it quits."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            self.quit()

    # --- helpers ----------------------------------------------------------------------------------
    def _resolve_account(self) -> tuple[AccountConfig | None, str | None]:
        """The configured account, or None for the sandbox (with a sentence if a key was unusable)."""
        if self.options.force_sandbox:
            return None, None
        try:
            return resolve_account(self.settings.value, self.secrets), None
        except BlooioError as exc:
            log.warning("falling back to the sandbox: %s", exc)
            return None, f"{describe_error(exc)}\n\nThe app opened on the built-in sandbox instead."

    def _apply_theme(self, *_changed: object) -> None:
        apply_theme(self.qapp, self.settings.value.theme)


def create_qapp() -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    qapp = QApplication(sys.argv[:1])
    qapp.setApplicationName("Blooio Desktop")
    qapp.setOrganizationName("Blooio")
    qapp.setDesktopFileName("com.blooio.Desktop")  # matches packaging/linux, for Wayland and docks
    qapp.setWindowIcon(app_icon())
    qapp.setQuitOnLastWindowClosed(False)
    return qapp


def run(options: GuiOptions) -> int:
    """Start the desktop app; returns the process exit code."""
    qapp = create_qapp()
    paths = AppPaths.default().ensure()
    secret_filter = configure_logging(paths)
    instance = SingleInstance(server_name(paths))
    if not instance.try_claim(options.link):
        log.info("another instance is running: asked it to show itself")
        print(ALREADY_RUNNING)
        return 0
    app = DesktopApp(qapp, options, paths, secret_filter)
    instance.activated.connect(app.show_window)
    instance.link_received.connect(app.open_link)
    collector = MainThreadGarbageCollector(qapp)
    loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(loop)
    try:
        exit_code: int = loop.run_until_complete(app.run())  # qasync is untyped
        return exit_code
    finally:
        collector.stop()
        instance.release()
        loop.close()
        asyncio.set_event_loop(None)
