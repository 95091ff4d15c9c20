"""The sandbox's truth and the store's view of it, made comparable, and waiting for the sandbox to settle.

Plain helpers (not fixtures) shared by the reliability tests and `bench/chaos.py`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from blooio_desktop.core.models import Message
from blooio_desktop.store import Database, MessageRepository
from tests.support.sandbox import SandboxHandle

FINAL = {"read", "delivered", "received", "failed"}


def sandbox_messages(sandbox: SandboxHandle) -> dict[str, dict[str, Any]]:
    return {m["message_id"]: m for m in sandbox.control("GET", "state")["messages"]}


async def settled_truth(sandbox: SandboxHandle, timeout: float = 30.0) -> dict[str, dict[str, Any]]:
    """The sandbox's messages once every status is final and webhook deliveries have stopped."""
    previous: dict[str, dict[str, Any]] = {}
    async with asyncio.timeout(timeout):
        while True:
            truth = sandbox_messages(sandbox)
            hooks = sandbox.counters()["webhooks"]
            quiet = hooks["attempted"] == hooks["succeeded"] + hooks["failed"]
            if (
                truth == previous
                and quiet
                and all(m["sim_status"] in FINAL for m in truth.values())
            ):
                return truth
            previous = truth
            await asyncio.sleep(0.3)


def store_messages(db: Database) -> dict[str, Message]:
    repo = MessageRepository(db.read())
    ids = [r[0] for r in db.read().execute("SELECT message_id FROM messages")]
    return {m.message_id: m for m in (repo.get(i) for i in ids) if m is not None}


def _status(direction: str, status: str) -> str:
    # For an inbound message the REST API says "delivered" where webhooks say "received": same rank.
    return "received" if direction == "inbound" and status == "delivered" else status


def comparable(message: Message) -> tuple[Any, ...]:
    added = sorted((r.sender, r.reaction) for r in message.reactions if r.is_added)
    direction = message.direction.value
    return (
        message.chat_id,
        direction,
        message.text,
        _status(direction, message.status.value),
        added,
    )


def comparable_truth(m: dict[str, Any], status_field: str = "status") -> tuple[Any, ...]:
    """`status` is the REST API's word (no "read"/"received"); `sim_status` the true final status.

    A REST sync now shows read receipts too (delivered + read time), so both compare to `sim_status`.
    """
    latest: dict[tuple[Any, str], bool] = {}
    for r in m.get("reactions", []):  # the sandbox keeps every add/remove, oldest first
        latest[(r.get("sender"), r["reaction"])] = r.get("is_added", True)
    added = sorted(key for key, is_added in latest.items() if is_added)
    return (
        m["chat_id"],
        m["direction"],
        m.get("text"),
        _status(m["direction"], m[status_field]),
        added,
    )
