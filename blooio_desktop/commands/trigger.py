"""`blooio-desktop trigger EVENT --url URL`: post a signed sample webhook, print the answer's status.

EVENT is a built-in fixture (`message.received`, `message.received.group`, `message.sent`,
`message.delivered`, `message.read`, `message.failed`, `message.reaction`) or a user fixture saved
under `<config>/fixtures/`. `--data` merges JSON fields over it; `--bad-signature` / `--expired`
sign it wrong or an hour old, to exercise a receiver's reject paths.
Prints one JSON line `{"status", "event", "message_id", "response"}`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

import httpx

from blooio_desktop.config.paths import AppPaths
from blooio_desktop.core.errors import ValidationError
from blooio_desktop.services.fixtures import FixtureLibrary
from blooio_desktop.webhook.outgoing import SigningMode, webhook_headers

HELP = "Post a signed sample webhook event to a URL."
SECRET_ENV = "BLOOIO_WEBHOOK_SECRET"
_MAX_SHOWN = 2000


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("event", metavar="EVENT", help="fixture name, e.g. message.received")
    parser.add_argument("--url", required=True, help="where to POST it (e.g. a listen URL)")
    parser.add_argument(
        "--secret", help=f"signing secret whsec_… (default: ${SECRET_ENV}; prefer the env var)"
    )
    parser.add_argument(
        "--data", help='JSON object merged over the fixture, e.g. \'{"text": "hi"}\''
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--bad-signature", action="store_true", help="sign with a wrong signature")
    how.add_argument("--expired", action="store_true", help="sign with a timestamp an hour old")
    how.add_argument("--legacy", action="store_true", help="body-only HMAC (Blooio's Python guide)")
    how.add_argument("--unsigned", action="store_true", help="send no signature header")
    parser.add_argument("--timeout", type=float, default=10.0, help="seconds to wait (default 10)")


def run(args: argparse.Namespace) -> int:
    secret = args.secret or os.environ.get(SECRET_ENV) or ""
    mode = _mode(args)
    if not secret and mode != SigningMode.UNSIGNED:
        return _fail(
            f"no signing secret: pass --secret whsec_…, set {SECRET_ENV}, or use --unsigned", 2
        )
    try:
        overrides = _overrides(args.data)
        payload = FixtureLibrary(AppPaths.default().config_dir / "fixtures").build(
            args.event, overrides
        )
    except ValidationError as exc:
        return _fail(exc.message, 2)
    body = json.dumps(payload).encode()
    event, message_id = payload.get("event"), payload.get("message_id")
    headers = webhook_headers(
        body,
        secret,
        event=event if isinstance(event, str) else None,
        message_id=message_id if isinstance(message_id, str) else None,
        mode=mode,
    )
    try:
        response = httpx.post(args.url, content=body, headers=headers, timeout=args.timeout)
    except httpx.HTTPError as exc:
        return _fail(f"could not reach {args.url}: {type(exc).__name__} {exc}".strip(), 1)
    print(
        json.dumps({
            "status": response.status_code,
            "event": event,
            "message_id": message_id,
            "response": response.text[:_MAX_SHOWN],
        }),
        flush=True,
    )  # fmt: skip
    return 0


def _mode(args: argparse.Namespace) -> SigningMode:
    if args.bad_signature:
        return SigningMode.BAD
    if args.expired:
        return SigningMode.EXPIRED
    if args.legacy:
        return SigningMode.LEGACY
    if args.unsigned:
        return SigningMode.UNSIGNED
    return SigningMode.VALID


def _overrides(data: str | None) -> dict[str, Any]:
    if not data:
        return {}
    try:
        value = json.loads(data)
    except ValueError as exc:
        raise ValidationError(f"--data is not valid JSON: {exc}", field="data") from None
    if not isinstance(value, dict):
        raise ValidationError("--data must be a JSON object", field="data")
    return value


def _fail(message: str, code: int) -> int:
    print(f"blooio-desktop trigger: {message}", file=sys.stderr, flush=True)
    return code
