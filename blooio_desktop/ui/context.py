"""What the composition root built, handed to every widget as `(context, parent=None)`.

Widgets never build services themselves and never reach for globals: everything they may use is
on the `AppContext`. Settings are mutable only through `SettingsStore`, which saves atomically and
tells interested widgets (theme, tray, notifications) that something changed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

from blooio_desktop.config.paths import AppPaths
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from blooio_desktop.core.events import Changes
from blooio_desktop.services.bus import EventBus
from blooio_desktop.store import Database

if TYPE_CHECKING:
    from blooio_desktop.api.client import BlooioClient
    from blooio_desktop.sandbox import SandboxServer
    from blooio_desktop.services.attachments import AttachmentProber
    from blooio_desktop.services.connectivity import ConnectivityService
    from blooio_desktop.services.inspector import InspectorService
    from blooio_desktop.services.messaging import MessagingService
    from blooio_desktop.services.outbox import OutboxSender
    from blooio_desktop.services.sync import SyncService
    from blooio_desktop.ui.bridge import BusBridge


class SettingsStore(QObject):
    """The one mutable holder of the app's `Settings`; `update()` replaces, saves, then notifies."""

    changed = Signal(object)  # the new Settings value

    def __init__(self, settings: Settings, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._path = path

    @property
    def value(self) -> Settings:
        return self._settings

    def update(self, **changes: Any) -> Settings:
        """Apply checked field changes (ValidationError on a bad one), persist, and emit `changed`."""
        self._settings = self._settings.replace(**changes)
        self.save()
        self.changed.emit(self._settings)
        return self._settings

    def replace(self, settings: Settings) -> None:
        """Swap in a whole new value (the settings dialog's OK), persist, and emit `changed`."""
        self._settings = settings
        self.save()
        self.changed.emit(self._settings)

    def save(self) -> None:
        self._settings.save(self._path)


@dataclass(eq=False)
class AppContext:
    """Everything a widget may use.

    The services may be None while the app is still starting, when a component failed to start, or
    in a test that builds only what it needs: widgets check before using one.
    """

    paths: AppPaths
    settings: SettingsStore
    secrets: SecretStore
    bus: EventBus
    db: Database
    client: BlooioClient | None = None
    messaging: MessagingService | None = None
    sync: SyncService | None = None
    outbox: OutboxSender | None = None
    connectivity: ConnectivityService | None = None
    inspector: InspectorService | None = None
    sandbox: SandboxServer | None = None  # only when running on the built-in sandbox
    prober: AttachmentProber | None = None  # composer chips, thumbnails
    account_label: str = ""
    is_sandbox: bool = False
    bridge: BusBridge | None = field(default=None)

    async def write(self, fn: Callable[[sqlite3.Connection], Changes]) -> Changes:
        """Run a store write off the UI thread, then tell every view what it touched."""
        changes = await self.db.write(fn)
        self.bus.publish(changes)
        return changes
