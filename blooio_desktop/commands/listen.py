"""`blooio-desktop listen`: receive and verify webhooks headless, for developers and CI.

Prints ONE JSON line once ready — `{"url": <local listener URL>, "public_url": <tunnel URL or null>}`
— then one JSON line per delivery: `{"verdict", "event", "message_id", "status"}`. Forward results
and tunnel problems go to stderr, so stdout stays machine-readable. SIGINT/SIGTERM exit cleanly.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
from dataclasses import replace
from itertools import count
from typing import Any

import httpx

from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import ForwardTarget
from blooio_desktop.core.errors import CredentialError, TunnelError
from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.services.forwarding import Forwarder
from blooio_desktop.tunnel.base import TunnelProvider
from blooio_desktop.tunnel.factory import create_tunnel
from blooio_desktop.webhook.listener import DEFAULT_PATH, WebhookListener
from blooio_desktop.webhook.signature import DEFAULT_TOLERANCE_S, Verdict

HELP = "Receive and verify webhooks locally, optionally through a tunnel."
SECRET_ENV = "BLOOIO_WEBHOOK_SECRET"
_FORWARDED = frozenset({Verdict.VALID.value, Verdict.LEGACY.value})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one (default)")
    parser.add_argument(
        "--path", default=DEFAULT_PATH, help=f"webhook path (default {DEFAULT_PATH})"
    )
    parser.add_argument(
        "--secret", help=f"signing secret whsec_… (default: ${SECRET_ENV}; prefer the env var)"
    )
    parser.add_argument(
        "--forward-to",
        action="append",
        default=[],
        metavar="URL",
        help="re-sign and forward every verified delivery to URL (repeatable)",
    )
    parser.add_argument(
        "--forward-events",
        default="",
        metavar="EVENTS",
        help="comma-separated event types to forward (default: all)",
    )
    parser.add_argument(
        "--tunnel",
        default="none",
        metavar="none|ngrok|URL",
        help="expose the listener (default none)",
    )
    parser.add_argument("--ngrok-path", help="use this ngrok agent instead of pyngrok's own")
    parser.add_argument("--ngrok-region", help="ngrok region (default: nearest)")
    parser.add_argument(
        "--allow-legacy-signature",
        action="store_true",
        help="also accept the body-only HMAC of Blooio's Python guide (no replay protection)",
    )
    parser.add_argument(
        "--tolerance",
        type=int,
        default=DEFAULT_TOLERANCE_S,
        help=f"signature timestamp tolerance in seconds (default {DEFAULT_TOLERANCE_S})",
    )


def run(args: argparse.Namespace) -> int:
    secret = args.secret or os.environ.get(SECRET_ENV)
    if not secret:
        _err(f"no webhook signing secret: pass --secret whsec_… or set {SECRET_ENV}")
        return 2
    try:
        return asyncio.run(_serve(args, secret))
    except KeyboardInterrupt:
        return 0


async def _serve(args: argparse.Namespace, secret: str) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    events = tuple(e.strip() for e in args.forward_events.split(",") if e.strip())
    async with httpx.AsyncClient() as http:
        forwarder = Forwarder(
            http, [ForwardTarget(u, events) for u in args.forward_to], lambda: [secret]
        )
        ids = count(1)
        pending: set[asyncio.Task[None]] = set()

        def on_delivery(delivery: WebhookDelivery) -> None:
            _out({
                "verdict": delivery.verdict,
                "event": delivery.event,
                "message_id": delivery.message_id,
                "status": delivery.response_status,
            })  # fmt: skip
            if forwarder.targets and delivery.verdict in _FORWARDED:
                task = loop.create_task(_forward(forwarder, replace(delivery, id=next(ids))))
                pending.add(task)
                task.add_done_callback(pending.discard)

        listener = WebhookListener(
            secret_provider=lambda: [secret],
            host=args.host,
            port=args.port,
            path=args.path,
            allow_legacy=args.allow_legacy_signature,
            tolerance_s=args.tolerance,
            on_delivery=on_delivery,
        )
        try:
            local_url = await listener.start()
        except OSError as exc:
            _err(f"cannot listen on {args.host}:{args.port}: {exc.strerror}")
            return 1
        try:
            tunnel = create_tunnel(
                args.tunnel,
                authtoken=_ngrok_authtoken(),
                region=args.ngrok_region,
                ngrok_path=args.ngrok_path,
            )
        except TunnelError as exc:
            await listener.stop()
            _err(f"{exc.message}: {exc.hint}")
            return 2
        public_url = await _start_tunnel(tunnel, local_url)
        _out({"url": local_url, "public_url": public_url})
        try:
            await stop.wait()
        finally:
            await tunnel.stop()
            await listener.stop()
            if pending:
                await asyncio.wait(pending, timeout=10)
    return 0


async def _start_tunnel(tunnel: TunnelProvider, local_url: str) -> str | None:
    try:
        public = await tunnel.start(local_url)
    except TunnelError as exc:
        _err(f"tunnel unavailable, listening locally only: {exc.hint or exc.message}")
        return None
    return public


async def _forward(forwarder: Forwarder, delivery: WebhookDelivery) -> None:
    for attempt in await forwarder.forward(delivery):
        outcome = f"HTTP {attempt.status}" if attempt.status is not None else attempt.error
        _err(f"forwarded {delivery.event} {delivery.message_id} → {attempt.target_url}: {outcome}")


def _ngrok_authtoken() -> str | None:
    try:
        return SecretStore().ngrok_authtoken()
    except CredentialError:
        return None  # pyngrok still reads NGROK_AUTHTOKEN and the agent's own config


def _out(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload) + "\n")
    sys.stdout.flush()


def _err(message: str) -> None:
    print(f"blooio-desktop listen: {message}", file=sys.stderr, flush=True)
