"""The workbench detail pane: one delivery's summary, pretty-printed body, redacted headers, the
listener's answer, and what happened when it was forwarded to the user's own servers."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTabWidget, QVBoxLayout, QWidget

from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.store.deliveries import ForwardAttempt
from blooio_desktop.ui.workbench.model import delay_text
from blooio_desktop.webhook.redaction import redact_headers


def pretty_body(body: bytes) -> str:
    """Indented JSON when the body is JSON, else the text as received (bytes shown lossily)."""
    text = body.decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False, sort_keys=False)
    except ValueError:
        return text


def headers_text(delivery: WebhookDelivery) -> str:
    return "\n".join(f"{name}: {value}" for name, value in redact_headers(delivery.headers))


def forwards_text(attempts: Sequence[ForwardAttempt]) -> str:
    if not attempts:
        return "Not forwarded (no forward target matched, or the signature was not valid)."
    lines = []
    for a in attempts:
        outcome = (
            f"HTTP {a.status}" if a.status is not None else f"failed: {a.error or 'no answer'}"
        )
        took = f" in {a.duration_ms:.0f} ms" if a.duration_ms is not None else ""
        lines.append(f"{a.target_url} → {outcome}{took}")
    return "\n".join(lines)


def summary_html(delivery: WebhookDelivery) -> str:
    when = datetime.fromtimestamp(delivery.received_at).strftime("%Y-%m-%d %H:%M:%S")
    esc = html.escape
    parts = [
        f"<b>{esc(delivery.event or '(no event)')}</b> · {esc(delivery.method)} {esc(delivery.path)}",
        f"verdict <b>{esc(delivery.verdict)}</b> · answered {delivery.response_status} · {when}",
    ]
    extra = []
    if delivery.message_id:
        extra.append(f"message {delivery.message_id}")
    if delivery.delay_ms is not None:
        extra.append(f"delay {delay_text(delivery)}")
    if delivery.processing_ms is not None:
        extra.append(f"processed in {delivery.processing_ms:.1f} ms")
    if delivery.replay_of is not None:
        extra.append(f"replay of #{delivery.replay_of}")
    if delivery.note:
        extra.append(delivery.note)
    if extra:
        parts.append(esc(" · ".join(extra)))
    return "<br>".join(parts)


class DeliveryDetail(QWidget):
    """Read-only view of one delivery; `show_delivery(None)` shows the empty state."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.tabs = QTabWidget(self)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.body = self._text_pane(mono, "Delivery body")
        self.headers = self._text_pane(mono, "Delivery headers")
        self.response = self._text_pane(mono, "Listener response")
        self.forwards = self._text_pane(mono, "Forward attempts")
        self.tabs.addTab(self.body, "Body")
        self.tabs.addTab(self.headers, "Headers")
        self.tabs.addTab(self.response, "Response")
        self.tabs.addTab(self.forwards, "Forwards")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        self.show_delivery(None)

    def _text_pane(self, font: QFont, name: str) -> QPlainTextEdit:
        pane = QPlainTextEdit(self)
        pane.setReadOnly(True)
        pane.setFont(font)
        pane.setAccessibleName(name)
        pane.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        return pane

    def show_delivery(
        self, delivery: WebhookDelivery | None, forwards: Sequence[ForwardAttempt] = ()
    ) -> None:
        if delivery is None:
            self.summary.setText(
                "Select a delivery to see its body, headers and the listener's answer."
            )
            for pane in (self.body, self.headers, self.response, self.forwards):
                pane.clear()
            return
        self.forwards.setPlainText(forwards_text(forwards))
        self.summary.setText(summary_html(delivery))
        self.body.setPlainText(pretty_body(delivery.body))
        self.headers.setPlainText(headers_text(delivery))
        self.response.setPlainText(f"HTTP {delivery.response_status}\n\n{delivery.response_body}")
