"""Headers for a webhook we send ourselves: replays, forwards, fixtures, the connectivity self-test.

The same shape Blooio sends (blooio-api.md §10.2), signed on purpose right, wrong, or too old, so the
accept and the reject paths of any receiver can be exercised.
"""

from __future__ import annotations

import json
import time
import uuid
from enum import StrEnum

from blooio_desktop.webhook.listener import SELF_TEST_EVENT
from blooio_desktop.webhook.signature import SIGNATURE_HEADER, compute_signature, sign, sign_legacy

EXPIRED_AGE_S = 3600


class SigningMode(StrEnum):
    VALID = "valid"  # signed now with the given secret
    BAD = "bad"  # well-formed header, wrong signature
    EXPIRED = "expired"  # right signature, timestamp an hour old
    LEGACY = "legacy"  # body-only hex, as in Blooio's Python guide
    UNSIGNED = "unsigned"  # no signature header at all


def webhook_headers(
    body: bytes,
    secret: str,
    *,
    event: str | None = None,
    message_id: str | None = None,
    mode: SigningMode | str = SigningMode.VALID,
    now: float | None = None,
) -> dict[str, str]:
    """Content-Type, X-Blooio-Event/Message-Id when known, and the signature `mode` asks for."""
    mode = SigningMode(mode)
    current = int(time.time() if now is None else now)
    headers = {"Content-Type": "application/json"}
    if event:
        headers["X-Blooio-Event"] = event
    if message_id:
        headers["X-Blooio-Message-Id"] = message_id
    if mode == SigningMode.VALID:
        headers[SIGNATURE_HEADER] = sign(secret, body, timestamp=current)
    elif mode == SigningMode.BAD:
        wrong = compute_signature(secret + "-wrong", current, body)
        headers[SIGNATURE_HEADER] = f"t={current},v1={wrong}"
    elif mode == SigningMode.EXPIRED:
        headers[SIGNATURE_HEADER] = sign(secret, body, timestamp=current - EXPIRED_AGE_S)
    elif mode == SigningMode.LEGACY:
        headers[SIGNATURE_HEADER] = sign_legacy(secret, body)
    return headers


def self_test_webhook(secret: str) -> tuple[bytes, dict[str, str]]:
    """Body and headers of the connectivity self-test: a `desktop.ping` signed with `secret`, which
    the listener acknowledges without handing it to the app."""
    body = json.dumps(
        {
            "event": SELF_TEST_EVENT,
            "message_id": f"ping_{uuid.uuid4().hex[:12]}",
            "timestamp": int(time.time() * 1000),
        }
    ).encode()
    return body, webhook_headers(body, secret, event=SELF_TEST_EVENT)
