"""`blooio-desktop send TO TEXT`: send one message headlessly, through the same client the app uses.

The key comes from the environment, a `.env` file or the keyring (never from a flag: it would show up
in `ps`). Prints `MESSAGE_ID STATUS` (or JSON with --json); any failure is one line on stderr and a
non-zero exit: 2 for bad input or configuration, 1 when the API or the network said no.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from dataclasses import dataclass
from typing import Any

from blooio_desktop.api import BlooioClient
from blooio_desktop.api.bodies import idempotency_key, send_body
from blooio_desktop.config.credentials import NO_KEY_HELP, AccountConfig, resolve_account
from blooio_desktop.config.paths import AppPaths
from blooio_desktop.config.secrets import SecretStore
from blooio_desktop.config.settings import Settings
from blooio_desktop.core.errors import ApiError, BlooioError, ConnectionFailed, CredentialError
from blooio_desktop.core.identifiers import is_group_id, normalize_chat_id
from blooio_desktop.core.models import SendResult
from blooio_desktop.core.redact import SecretFilter, redact

HELP = "Send a message from the command line."
EXIT_FAILED = 1  # the API or the network refused
EXIT_USAGE = 2  # bad input or configuration: nothing was sent


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "to", metavar="TO", help="phone (E.164), email, grp_… id, or comma-separated list"
    )
    parser.add_argument("text", metavar="TEXT", nargs="?", default="", help="message text")
    parser.add_argument(
        "--attach", metavar="URL", action="append", default=[], help="attachment link (repeatable)"
    )
    parser.add_argument(
        "--from", dest="from_number", metavar="NUMBER", help="send from this number"
    )
    parser.add_argument(
        "--idempotency-key", metavar="KEY", help="reuse to retry safely (default: a new UUID)"
    )
    parser.add_argument("--base-url", metavar="URL", help="API base URL (default: settings or env)")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds per attempt (default 30)"
    )
    parser.add_argument("--json", action="store_true", help="print the result as one JSON line")
    parser.add_argument("--no-check", action="store_true", help="skip the capability check")
    parser.add_argument("-v", "--verbose", action="store_true", help="log requests and retries")


@dataclass(frozen=True, slots=True)
class SendRequest:
    chat_id: str
    text: str | None
    attachments: tuple[str, ...]
    from_number: str | None
    idempotency_key: str


def _request(args: argparse.Namespace, settings: Settings) -> SendRequest:
    """Everything checked before any network traffic; raises ValidationError with the reason."""
    chat_id = normalize_chat_id(args.to)
    from_number = args.from_number or settings.default_from_number
    body = send_body(
        text=args.text or None,
        attachments=args.attach,
        from_number=from_number,
        use_typing_indicator=None,
        reply_to=None,
    )
    return SendRequest(
        chat_id=chat_id,
        text=body.get("text"),
        attachments=tuple(body.get("attachments", ())),
        from_number=body.get("from_number"),
        idempotency_key=idempotency_key(args.idempotency_key),
    )


def _fail(message: str, code: int, secrets: tuple[str, ...] = ()) -> int:
    print(f"blooio-desktop send: {redact(message, secrets)}", file=sys.stderr)
    return code


def _setup_logging(verbose: bool, secret: str) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(SecretFilter([secret]))
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, handlers=[handler], force=True
    )


def run(args: argparse.Namespace) -> int:
    paths = AppPaths.default()
    try:
        settings = Settings.load(paths.settings_file)
        request = _request(args, settings)
        if args.timeout <= 0:
            return _fail("--timeout must be a positive number of seconds.", EXIT_USAGE)
        try:
            account = resolve_account(settings, SecretStore(), base_url=args.base_url)
        except CredentialError as exc:
            return _fail(f"{NO_KEY_HELP}\n({exc.message})", EXIT_USAGE)
    except BlooioError as exc:
        return _fail(exc.message, EXIT_USAGE)
    if account is None:
        return _fail(NO_KEY_HELP, EXIT_USAGE)
    _setup_logging(args.verbose, account.api_key)
    try:
        return asyncio.run(_send(account, request, args))
    except KeyboardInterrupt:
        return _fail(
            f"Interrupted. To retry without a duplicate use --idempotency-key {request.idempotency_key}",
            130,
        )


async def _send(account: AccountConfig, request: SendRequest, args: argparse.Namespace) -> int:
    secrets = (account.api_key,)
    sending = False
    try:
        async with BlooioClient(account.api_key, account.base_url, timeout=args.timeout) as client:
            if not args.no_check:
                await _check_capabilities(client, request.chat_id)
            sending = True
            result = await client.send_message(
                request.chat_id,
                text=request.text,
                attachments=request.attachments,
                from_number=request.from_number,
                idempotency_key=request.idempotency_key,
            )
    except ApiError as exc:
        return _fail(_api_error_text(exc), EXIT_FAILED, secrets)
    except ConnectionFailed as exc:
        outcome = (
            "The message may or may not have been accepted: retry with "
            f"--idempotency-key {request.idempotency_key} to be sure it is sent only once."
            if sending
            else "Nothing was sent."
        )
        return _fail(f"{exc.message.rstrip('.')}. {outcome}", EXIT_FAILED, secrets)
    except BlooioError as exc:
        return _fail(exc.message, EXIT_USAGE, secrets)
    _print_result(result, as_json=args.json)
    return 0


async def _check_capabilities(client: BlooioClient, chat_id: str) -> None:
    """Tell the user up front whether this goes out as iMessage or SMS. Advisory: only an
    authentication failure stops the send (the send would fail the same way).
    """
    if is_group_id(chat_id) or "," in chat_id:
        return
    try:
        caps = await client.capabilities(chat_id)
    except ApiError as exc:
        if exc.is_auth:
            raise
        print(
            f"Could not check what {chat_id} can receive ({exc.message}); sending anyway.",
            file=sys.stderr,
        )
        return
    if caps.imessage:
        print(f"{chat_id} can receive iMessage", file=sys.stderr)
    elif caps.sms:
        print(f"{chat_id} is SMS-only: Blooio will fall back to SMS", file=sys.stderr)
    else:
        print(f"{chat_id} reports neither iMessage nor SMS; sending anyway.", file=sys.stderr)


def _api_error_text(exc: ApiError) -> str:
    if exc.is_auth:
        return f"The API key was rejected ({exc.message}). Check BLOOIO_API_KEY / your .env / the app settings."
    if exc.is_quota:
        return f"{exc.message} This is a plan limit: retrying now will not help."
    if exc.is_inbound_only:
        return f"{exc.message} This number can only reply to people who wrote to it first."
    return str(exc)


def _print_result(result: SendResult, *, as_json: bool) -> None:
    if as_json:
        payload: dict[str, Any] = {
            "message_id": result.message_id,
            "message_ids": list(result.message_ids),
            "status": str(result.status),
            "idempotency_key": result.idempotency_key,
            "replayed": result.replayed,
        }
        if result.group_id:
            payload["group_id"] = result.group_id
        print(json.dumps(payload))
        return
    if result.replayed:
        print("Already sent with this idempotency key: nothing new was sent.", file=sys.stderr)
    print(f"{' '.join(result.message_ids)} {result.status}")
