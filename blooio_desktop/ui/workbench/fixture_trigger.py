"""Trigger a sample webhook (built-in or user fixture) into the running listener, signed like Blooio
would sign it — or deliberately wrong — so a developer can watch the app react without the API.

Same recipe as `blooio-desktop trigger`: `FixtureLibrary` builds the payload, `webhook_headers` signs
it with the listener's current secret (from `ConnectivityService.signing_secrets()`), and it is
POSTed to the listener's local URL. The delivery then appears in the workbench like any other.
"""

from __future__ import annotations

import json

import httpx
from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QPushButton, QWidget

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.services.fixtures import FixtureLibrary
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.tasks import async_slot
from blooio_desktop.webhook.outgoing import SigningMode, webhook_headers

TRIGGER_TIMEOUT_S = 10.0
SIGNING_CHOICES: tuple[tuple[str, str], ...] = (
    (SigningMode.VALID.value, "signed"),
    (SigningMode.BAD.value, "bad signature"),
    (SigningMode.EXPIRED.value, "expired"),
    (SigningMode.UNSIGNED.value, "unsigned"),
)


class FixtureTrigger(QWidget):
    """A fixture picker, a signing picker and a Send button; `triggered(text)` reports the outcome."""

    triggered = Signal(str)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.library = FixtureLibrary(context.paths.config_dir / "fixtures")
        self.fixture = QComboBox(self)
        self.fixture.setAccessibleName("Sample event")
        self.signing = QComboBox(self)
        self.signing.setAccessibleName("Sample signature")
        for key, label in SIGNING_CHOICES:
            self.signing.addItem(label, key)
        self.send_button = QPushButton("Send sample", self)
        self.send_button.setToolTip("Post this sample event to the local listener")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.fixture)
        layout.addWidget(self.signing)
        layout.addWidget(self.send_button)
        self.send_button.clicked.connect(self._on_send)
        self.reload_fixtures()

    def reload_fixtures(self) -> None:
        self.fixture.clear()
        self.fixture.addItems(self.library.names())

    @async_slot()
    async def _on_send(self) -> None:
        await self.trigger(self.fixture.currentText(), str(self.signing.currentData()))

    async def trigger(self, name: str, mode: str = SigningMode.VALID.value) -> int | None:
        """Post fixture `name`; returns the listener's HTTP status, or None when it could not."""
        self.send_button.setEnabled(False)
        try:
            status = await self._post(name, SigningMode(mode))
        except ValidationError as exc:
            self.triggered.emit(exc.message)
            return None
        except httpx.HTTPError as exc:
            self.triggered.emit(f"The listener did not answer ({type(exc).__name__}).")
            return None
        finally:
            self.send_button.setEnabled(True)
        self.triggered.emit(f"Sent sample {name} ({mode}): listener answered HTTP {status}")
        return status

    async def _post(self, name: str, mode: SigningMode) -> int:
        connectivity = self._context.connectivity
        url = connectivity.state.local_url if connectivity is not None else None
        if connectivity is None or not url:
            raise ValidationError(
                "The webhook listener is not running: start it in the status bar."
            )
        secrets = connectivity.signing_secrets()
        if not secrets and mode is not SigningMode.UNSIGNED:
            raise ValidationError(
                "No webhook signing secret yet: the listener cannot verify a signed sample."
            )
        payload = self.library.build(name)
        body = json.dumps(payload).encode()
        event, message_id = payload.get("event"), payload.get("message_id")
        headers = webhook_headers(
            body,
            secrets[0] if secrets else "",
            event=event if isinstance(event, str) else None,
            message_id=message_id if isinstance(message_id, str) else None,
            mode=mode,
        )
        async with httpx.AsyncClient(timeout=TRIGGER_TIMEOUT_S) as http:
            response = await http.post(url, content=body, headers=headers)
        return response.status_code
