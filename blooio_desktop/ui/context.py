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
    """Everything a widget may use. Services are typed loosely so the UI tolerates a missing piece.

    `client`, `messaging`, `sync`, `outbox`, `connectivity` and `inspector` may be None while the app is
    still starting (or when a component failed to start): widgets must check before using them.
    """

    paths: AppPaths
    settings: SettingsStore
    secrets: SecretStore
    bus: EventBus
    db: Database
    client: Any = None  # api.BlooioClient
    messaging: Any = None  # services.messaging.MessagingService
    sync: Any = None  # services.sync.SyncService
    outbox: Any = None  # services.outbox.OutboxSender
    connectivity: Any = None  # services.connectivity.ConnectivityService
    inspector: Any = None  # services.inspector.InspectorService
    sandbox: Any = None  # sandbox.SandboxServer when running on the built-in sandbox
    prober: Any = None  # services.attachments.AttachmentProber (composer chips, thumbnails)
    account_label: str = ""
    is_sandbox: bool = False
    bridge: BusBridge | None = field(default=None)

    async def write(self, fn: Callable[[sqlite3.Connection], Changes]) -> Changes:
        """Run a store write off the UI thread, then tell every view what it touched."""
        changes = await self.db.write(fn)
        self.bus.publish(changes)
        return changes
