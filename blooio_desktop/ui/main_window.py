"""`MainWindow`: sidebar (chats + search) | conversation, the sandbox banner, menus and shortcuts.

Panels built by other modules (dialogs, docks, status widget, tray, quick switcher) are wired in ONE
place, `_install_panels()`. The window never builds services: everything comes from the context.

The first paint shows the chat list from the cache; what it does not show is built right after it
(`build_rest()`): the conversation panel (~30 ms with its imports), the docks and the tray.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import QMainWindow, QMenu, QMessageBox, QSplitter, QVBoxLayout, QWidget

from blooio_desktop.core.compose_link import parse_compose_link
from blooio_desktop.core.errors import BlooioError, ValidationError
from blooio_desktop.store import ChatRepository, SearchIndex
from blooio_desktop.ui.banner import ReadOnlyBanner, SandboxBanner
from blooio_desktop.ui.chat_list.model import ChatListModel
from blooio_desktop.ui.chat_list.panel import ChatListPanel
from blooio_desktop.ui.chat_list.search_model import SearchHitsModel
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.error_text import describe_error
from blooio_desktop.ui.shortcut_guard import ShortcutGuard
from blooio_desktop.ui.status.connectivity_widget import ConnectivityStatusWidget
from blooio_desktop.ui.status.sync_widget import SyncStatusWidget
from blooio_desktop.ui.tasks import async_slot

if TYPE_CHECKING:
    from blooio_desktop.ui.thread.panel import ThreadPanel
    from blooio_desktop.ui.tray import TrayController

log = logging.getLogger(__name__)
SIDEBAR_WIDTH = 320


class MainWindow(QMainWindow):
    account_saved = Signal(str)  # masked key: the composition root reconnects with the new account
    quit_requested = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.setObjectName("MainWindow")
        self.setWindowTitle(f"Blooio Desktop — {context.account_label or 'Sandbox'}")
        self.setMinimumSize(760, 480)
        self._chats = ChatRepository(context.db.read())
        self.chat_model = ChatListModel(self._chats, self)
        self.hit_model = SearchHitsModel(SearchIndex(context.db.read()), self._chat_title, self)
        self.sidebar = ChatListPanel(self.chat_model, self.hit_model)
        # The conversation's place in the splitter; the panel itself comes with `build_rest()`.
        self.conversation = QWidget()
        self.conversation.setObjectName("Conversation")
        self._conversation_layout = QVBoxLayout(self.conversation)
        self._conversation_layout.setContentsMargins(0, 0, 0, 0)
        self._thread_panel: ThreadPanel | None = None
        self.banner = SandboxBanner()
        self.banner.setVisible(context.is_sandbox)
        reason = context.db.read_only_reason
        self.read_only_banner = ReadOnlyBanner(reason or "")
        self.read_only_banner.setVisible(reason is not None)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("MainSplitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.conversation)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([SIDEBAR_WIDTH, 900])
        self.sidebar.setMinimumWidth(240)
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.banner)
        column.addWidget(self.read_only_banner)
        column.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.sidebar.chat_selected.connect(lambda chat_id: self.thread_panel.open_chat(chat_id))
        self.sidebar.message_chosen.connect(self.open_message)
        self.sidebar.pin_requested.connect(self._set_pinned)
        self.sidebar.mark_read_requested.connect(self._mark_read)
        self.sidebar.rename_requested.connect(self.show_rename)
        if context.bridge is not None:
            context.bridge.changes.connect(self.chat_model.on_changes)
        self._build_menus()
        self._install_panels()
        self._install_keyboard()
        self.chat_model.refresh()
        self.restore_layout()

    def after_first_paint(self) -> None:
        """What waits until the window has painted from the cache: the rest of the window, the tray,
        the first API call."""
        self.build_rest()
        self.install_tray()
        if self.context.client is not None:
            self._load_numbers()

    def build_rest(self) -> None:
        """What the first paint leaves out (idempotent): the conversation panel and the docks."""
        self._ensure_thread_panel()
        self.install_docks()

    @property
    def thread_panel(self) -> ThreadPanel:
        """The open chat's panel; whatever needs it before `build_rest()` builds it on the spot."""
        return self._ensure_thread_panel()

    def _ensure_thread_panel(self) -> ThreadPanel:
        if self._thread_panel is not None:
            return self._thread_panel
        from blooio_desktop.ui.thread.panel import ThreadPanel

        self._thread_panel = panel = ThreadPanel(self.context)
        self._conversation_layout.addWidget(panel)
        panel.show()  # now, not on the next loop turn: the layout shows a late child only then
        panel.details_requested.connect(self.show_message_details)
        panel.composer.dismissed.connect(self.sidebar.focus_chats)
        self._shortcut_guard.watch(panel.composer.edit)
        return panel

    def _open_chat_id(self) -> str | None:
        """The chat on screen, without building the panel just to learn there is none."""
        return self._thread_panel.chat_id if self._thread_panel is not None else None

    def close_tasks(self) -> None:
        """At shutdown: stop the panel's link probes and thumbnail fetches before the HTTP client
        closes."""
        if self._thread_panel is not None:
            self._thread_panel.close_tasks()

    # --- navigation -------------------------------------------------------------------------
    def open_chat(self, chat_id: str) -> None:
        """Select a chat (refreshing first: it may have just been created)."""
        if self.chat_model.row_of(chat_id) < 0:
            self.chat_model.refresh()
        if not self.sidebar.select_chat(chat_id):
            self.thread_panel.open_chat(chat_id)
        self.raise_()
        self.activateWindow()

    def open_link(self, link: str) -> None:
        """An sms:/smsto:/imessage: link the desktop handed over: open that conversation (a new one
        if need be) with the link's text in the composer, or say what is wrong with the link."""
        try:
            target = parse_compose_link(link)
        except ValidationError as exc:
            box = QMessageBox(
                QMessageBox.Icon.Warning, "Cannot open this link", exc.message, parent=self
            )
            box.setObjectName("LinkError")
            box.open()  # not exec(): a nested event loop would stall the app's loop
            return
        self.open_chat(target.chat_id)
        if target.body:
            self.thread_panel.composer.offer_text(target.body)

    def open_message(self, chat_id: str, message_id: str) -> None:
        """A search hit: open its chat and scroll to the message."""
        self.thread_panel.open_chat(chat_id)
        self.thread_panel.jump_to(message_id)

    @async_slot()
    async def _load_numbers(self) -> None:
        """Several sending numbers: a per-chat picker and a chat-list filter appear."""
        client = self.context.client
        if client is None:
            return
        try:
            numbers = [n.phone_number for n in await client.numbers() if n.is_active]
        except BlooioError as exc:
            log.info("sending numbers unavailable: %s", exc)
            return
        self.sidebar.set_numbers(numbers)
        self.thread_panel.set_numbers(numbers)

    @async_slot(str, bool)
    async def _set_pinned(self, chat_id: str, pinned: bool) -> None:
        try:
            await self.context.write(lambda conn: ChatRepository(conn).set_pinned(chat_id, pinned))
        except BlooioError as exc:
            self.statusBar().showMessage(describe_error(exc), 8000)

    @async_slot(str)
    async def _mark_read(self, chat_id: str) -> None:
        if self.context.messaging is None:
            return
        try:
            await self.context.messaging.mark_read(chat_id)
        except BlooioError as exc:
            self.statusBar().showMessage(describe_error(exc), 8000)

    def _chat_title(self, chat_id: str) -> str:
        chat = self._chats.get(chat_id)
        return chat.title if chat else chat_id

    # --- menus ------------------------------------------------------------------------------
    def _action(
        self,
        menu: QMenu,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = menu.addAction(text)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("&File")
        self.edit_menu = bar.addMenu("&Edit")
        self.view_menu = bar.addMenu("&View")
        self.chat_menu = bar.addMenu("&Chat")
        self.developer_menu = bar.addMenu("&Developer")
        self.help_menu = bar.addMenu("&Help")
        self.find_action = self._action(
            self.edit_menu, "Find…", self.sidebar.focus_search, QKeySequence.StandardKey.Find
        )
        self.next_chat_action = self._action(
            self.chat_menu, "Next Chat", lambda: self.sidebar.step(1), "Alt+Down"
        )
        self.previous_chat_action = self._action(
            self.chat_menu, "Previous Chat", lambda: self.sidebar.step(-1), "Alt+Up"
        )
        self.chat_menu.addSeparator()
        self._action(
            self.chat_menu,
            "Jump to Newest",
            lambda: self.thread_panel.view.scroll_to_newest(),
            "Ctrl+End",
        )

    def _install_panels(self) -> None:
        """Every panel from the other UI modules, wired here and nowhere else."""
        context = self.context
        file_menu = self.file_menu
        self.new_chat_action = self._action(
            file_menu, "New Chat…", self.show_new_chat, QKeySequence.StandardKey.New
        )
        self._action(file_menu, "New Group…", self.show_new_group, "Ctrl+Shift+N")
        file_menu.addSeparator()
        self._action(file_menu, "Account…", self.show_account)
        self._action(
            file_menu, "Settings…", self.show_settings, QKeySequence.StandardKey.Preferences
        )
        file_menu.addSeparator()
        self._action(file_menu, "Quit", self.quit_requested.emit, QKeySequence.StandardKey.Quit)
        self.banner.connect_requested.connect(self.show_account)
        self.switcher_action = self._action(
            self.edit_menu, "Go to Chat…", self.show_quick_switcher, "Ctrl+K"
        )
        self.chat_menu.addSeparator()
        self._action(self.chat_menu, "Rename…", lambda: self.show_rename(), "F2")
        # Docks: built by `build_rest()`, after the first paint
        self._docks_installed = False
        # Status bar: tunnel + webhook registration, with the public URL and a copy button
        self.connectivity_widget = ConnectivityStatusWidget(context, self)
        self.sync_widget = SyncStatusWidget(context, self.statusBar(), self)
        self.statusBar().addPermanentWidget(self.sync_widget)
        self.statusBar().addPermanentWidget(self.connectivity_widget)
        self.statusBar().setSizeGripEnabled(False)
        # Tray: unread count, notifications, quit — built by `install_tray()`, after the first paint
        self.tray: TrayController | None = None
        # Message details (from the thread's context menu) are wired with the panel, when built
        self._action(self.help_menu, "About Blooio Desktop", self.show_about)

    def install_docks(self) -> None:
        """The outbox and webhook workbench docks (idempotent), reopened as the user left them.
        Built after the first paint: ~30 ms the cached chat list need not wait for."""
        if self._docks_installed:
            return
        self._docks_installed = True
        # Imported here too: the workbench and its HTTP client's types are not needed to paint.
        from blooio_desktop.ui.outbox.dock import OutboxDock
        from blooio_desktop.ui.workbench.dock import WorkbenchDock

        self.outbox_dock = OutboxDock(self.context, self)
        self.workbench_dock = WorkbenchDock(self.context, self)
        for dock, title, shortcut in (
            (self.workbench_dock, "Webhook Workbench", "Ctrl+Shift+W"),
            (self.outbox_dock, "Outbox", "Ctrl+Shift+O"),
        ):
            self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock)
            dock.hide()
            toggle = dock.toggleViewAction()
            toggle.setText(title)
            toggle.setShortcut(QKeySequence(shortcut))
            self.view_menu.addAction(toggle)
        self.developer_menu.addAction(self.workbench_dock.toggleViewAction())
        state = self.context.settings.value.window_state
        if state:
            self.restoreState(QByteArray.fromBase64(state.encode()))

    def install_tray(self) -> TrayController:
        """The tray icon (idempotent). Its unread badge counts over the whole cache (~0.2 s with 1M
        messages), so the composition root calls this after the first paint, not in `__init__`."""
        if self.tray is None:
            from blooio_desktop.ui.tray import TrayController

            self.tray = TrayController(self.context, self)
            self.tray.quit_requested.connect(self.quit_requested)
        return self.tray

    def _install_keyboard(self) -> None:
        """The global keys work from the text fields too (the composer's once the panel is built);
        Esc in the composer goes back to the chats."""
        global_actions = (
            self.switcher_action,
            self.find_action,
            self.new_chat_action,
            self.next_chat_action,
            self.previous_chat_action,
        )
        self._shortcut_guard = ShortcutGuard([action.shortcut() for action in global_actions], self)
        self._shortcut_guard.watch(self.sidebar.search)

    # --- panel openers ------------------------------------------------------------------------
    # Each dialog is imported by its opener: importing all eight up front cost ~40 ms before the
    # first paint.
    def show_new_chat(self) -> None:
        from blooio_desktop.ui.dialogs.new_chat_dialog import NewChatDialog

        dialog = NewChatDialog(self.context, self)
        dialog.chat_created.connect(self.open_chat)
        dialog.open()

    def show_new_group(self) -> None:
        from blooio_desktop.ui.dialogs.new_group_dialog import NewGroupDialog

        dialog = NewGroupDialog(self.context, self)
        dialog.group_created.connect(self.open_chat)
        dialog.open()

    def show_rename(self, chat_id: str | None = None) -> None:
        from blooio_desktop.ui.dialogs.rename_dialog import RenameDialog

        chat_id = chat_id or self._open_chat_id()
        if chat_id is None:
            return
        chat = self._chats.get(chat_id)
        current = chat.title if chat and chat.title != chat_id else None
        dialog = RenameDialog(self.context, chat_id, current, self)
        dialog.renamed.connect(lambda *_: self.chat_model.refresh())
        dialog.open()

    def show_account(self) -> None:
        from blooio_desktop.ui.dialogs.account_dialog import AccountDialog

        dialog = AccountDialog(self.context, self)
        dialog.account_saved.connect(self.account_saved)
        dialog.open()

    def show_settings(self) -> None:
        from blooio_desktop.ui.dialogs.settings_dialog import SettingsDialog

        SettingsDialog(self.context, self).open()

    def show_quick_switcher(self) -> None:
        from blooio_desktop.ui.quick_switcher import QuickSwitcher

        switcher = QuickSwitcher(self.context, self)
        switcher.chat_chosen.connect(self.open_chat)
        switcher.open()

    def show_message_details(self, message_id: str) -> None:
        from blooio_desktop.ui.message_details import MessageDetailsDialog

        MessageDetailsDialog(self.context, message_id, self).open()

    def show_about(self) -> None:
        from blooio_desktop.ui.about_dialog import AboutDialog

        AboutDialog(self.context.paths.log_dir, self).open()

    def current_chat_id(self) -> str | None:
        """For the tray: notifications are suppressed for the chat on screen."""
        return self._open_chat_id() if self.isVisible() and self.isActiveWindow() else None

    # --- layout persistence -------------------------------------------------------------------
    def restore_layout(self) -> None:
        settings = self.context.settings.value
        if settings.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(settings.window_geometry.encode()))
        else:
            self.resize(1180, 760)
        if settings.window_state:
            self.restoreState(QByteArray.fromBase64(settings.window_state.encode()))
        splitter = settings.extra.get("splitter")
        if isinstance(splitter, str):
            self.splitter.restoreState(QByteArray.fromBase64(splitter.encode()))

    def save_layout(self) -> None:
        def b64(data: QByteArray) -> str:
            return bytes(data.toBase64().data()).decode()

        settings = self.context.settings
        state = b64(self.saveState()) if self._docks_installed else settings.value.window_state
        settings.update(
            window_geometry=b64(self.saveGeometry()),
            window_state=state,  # closed before the docks were built: keep how they were left
            extra={**settings.value.extra, "splitter": b64(self.splitter.saveState())},
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._thread_panel is not None:  # back from the tray: the open chat is being read now
            self._thread_panel.maybe_mark_read()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        if self._thread_panel is not None:
            self._thread_panel.composer.set_chat(None)  # keeps the open chat's draft
        super().closeEvent(event)
