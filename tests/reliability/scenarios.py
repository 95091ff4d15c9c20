"""Webhook storm and tunnel outage scenarios, sized by the caller: small in CI, full in `bench/chaos.py`.

Each returns what it observed; the tests (and the chaos runner) decide what must hold.
"""

from __future__ import annotations

import asyncio
import json
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from blooio_desktop.core.models import Message
from blooio_desktop.sandbox.delivery import BACKOFF_S
from blooio_desktop.services.events import BackfillReport
from blooio_desktop.store import MessageRepository
from blooio_desktop.webhook.signature import sign, sign_legacy
from tests.reliability.app_rig import AppRig
from tests.reliability.proxy import TcpProxy
from tests.reliability.truth import comparable, comparable_truth, settled_truth, store_messages
from tests.support.sandbox import SandboxHandle

REJECTED = frozenset({"invalid", "stale", "missing", "malformed"})
FORGERY_KINDS = ("wrong-secret", "stale", "unsigned", "tampered", "legacy")


def contacts(prefix: str, count: int) -> list[str]:
    return [f"+1555{prefix}{n:04d}" for n in range(count)]


async def control(sandbox: SandboxHandle, method: str, path: str, payload: Any = None) -> Any:
    """Sandbox control calls off the loop, so the listener keeps answering meanwhile."""
    return await asyncio.to_thread(sandbox.control, method, path, payload)


async def wait_for(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


def _received(message_id: str, sender: str) -> dict[str, Any]:
    now = int(time.time() * 1000)
    return {
        "event": "message.received", "message_id": message_id, "external_id": sender,
        "internal_id": "+15550001111", "status": "received", "protocol": "imessage", "timestamp": now,
        "is_group": False, "text": "forged: send me your password", "sender": sender, "received_at": now,
    }


def forgery(kind: str, n: int, secret: str, target_id: str) -> tuple[str, bytes, dict[str, str]]:
    """One forged delivery: (message id it claims, body, headers). None of them may be accepted."""
    if kind == "tampered":  # a real signature over a status body, sent with another body
        claimed = target_id
        signed = json.dumps({"event": "message.delivered", "message_id": target_id}).encode()
        body = json.dumps({"event": "message.failed", "message_id": target_id, "external_id": "+15550000000",
                           "status": "failed", "error_code": "forged", "timestamp": int(time.time() * 1000),
                           "is_group": False}).encode()
        signature = sign(secret, signed)
    else:
        claimed = f"forged-{kind}-{n}"
        body = json.dumps(_received(claimed, "+15559990000")).encode()
        signature = {
            "wrong-secret": sign("whsec_attacker", body),
            "stale": sign(secret, body, timestamp=int(time.time()) - 3600),
            "unsigned": "",
            "legacy": sign_legacy(secret, body),
        }[kind]
    headers = {"Content-Type": "application/json", "X-Blooio-Event": "message.received", "X-Blooio-Message-Id": claimed}
    if signature:
        headers["X-Blooio-Signature"] = signature
    return claimed, body, headers


@dataclass
class StormResult:
    truth: dict[str, dict[str, Any]]
    stored: dict[str, Message]
    forged_answers: list[int] = field(default_factory=list)
    forged_ids: set[str] = field(default_factory=set)
    rejected_recorded: int = 0
    duplicates_recorded: int = 0
    genuine_delivered: int = 0

    @property
    def mismatched(self) -> dict[str, tuple[Any, Any]]:
        """Messages whose stored state differs from the sandbox's (missing or extra ones included)."""
        out: dict[str, tuple[Any, Any]] = {}
        for message_id in set(self.truth) | set(self.stored):
            truth = self.truth.get(message_id)
            stored = self.stored.get(message_id)
            want = comparable_truth(truth, "sim_status") if truth else None
            got = comparable(stored) if stored else None
            if want != got:
                out[message_id] = (want, got)
        return out


async def webhook_storm(
    sandbox: SandboxHandle,
    rig: AppRig,
    *,
    outbound: int,
    inbound: int,
    reactions: int,
    duplicate_rate: float = 0.10,
    shuffle_ms: int = 100,
    forged_rate: float = 0.05,
    seed: int = 7,
) -> StormResult:
    """Real traffic through a duplicating, shuffling sandbox while an attacker posts forgeries."""
    await control(sandbox, "PUT", "world", {"bot": False, "speed": 50})
    await control(sandbox, "PUT", "faults", {
        "webhook_duplicate_rate": duplicate_rate, "webhook_shuffle_ms": shuffle_ms, "random_seed": seed,
    })
    people = contacts("81", max(3, outbound // 20 + 1))
    sent = [await rig.messaging.send(people[n % len(people)], f"storm out {n}") for n in range(outbound)]
    received: list[str] = []
    for n in range(inbound):
        created = await control(sandbox, "POST", "inbound", {"from": people[n % len(people)], "text": f"storm in {n}"})
        received.append(created["message_id"])
    for n in range(min(reactions, len(received))):
        await control(sandbox, "POST", "reaction", {
            "message_id": received[n], "reaction": "love", "sender": people[n % len(people)], "action": "add",
        })
    await asyncio.wait_for(rig.messaging.outbox.drain(), 60)

    # ~5 % of all deliveries are forgeries, spread over the kinds, some aimed at real messages.
    expected = (3 * outbound + inbound + reactions) * (1 + duplicate_rate)
    count = max(len(FORGERY_KINDS), math.ceil(forged_rate / (1 - forged_rate) * expected))
    secret = rig.signing_secrets()[0]
    targets = [m for m in MessageRepository(rig.db.read()).page(people[0], limit=50) if not m.message_id.startswith("local:")]
    result = StormResult(truth={}, stored={})
    async with aiohttp.ClientSession() as session:
        for n in range(count):
            kind = FORGERY_KINDS[n % len(FORGERY_KINDS)]
            target = targets[n % len(targets)].message_id if targets else "missing"
            claimed, body, headers = forgery(kind, n, secret, target)
            async with session.post(rig.listener.url, data=body, headers=headers) as res:
                result.forged_answers.append(res.status)
            if kind != "tampered":
                result.forged_ids.add(claimed)

    result.truth = await settled_truth(sandbox, timeout=120)
    await rig.listener.drain()
    await wait_for(lambda: not StormResult(result.truth, store_messages(rig.db)).mismatched, 30)
    await control(sandbox, "PUT", "faults", {})
    result.stored = store_messages(rig.db)
    verdicts = [row[0] for row in rig.db.read().execute("SELECT verdict FROM webhook_deliveries")]
    result.rejected_recorded = sum(1 for v in verdicts if v in REJECTED)
    result.duplicates_recorded = verdicts.count("duplicate")
    result.genuine_delivered = (await control(sandbox, "GET", "counters"))["webhooks"]["succeeded"]
    assert len(sent) == outbound
    return result


@dataclass
class OutageResult:
    before: set[str]
    during: set[str]
    after: set[str]
    stored: set[str]
    reports: list[BackfillReport]
    delivered_while_down: int
    failed_while_down: int

    @property
    def backfilled(self) -> int:
        return sum(r.count for r in self.reports)


async def outage(
    sandbox: SandboxHandle, rig: AppRig, *, proxy: TcpProxy | None, before: int, during: int, after: int
) -> OutageResult:
    """Messages keep arriving at the sandbox while webhooks cannot reach the app; then they can again.

    With `proxy` (the tunnel stand-in) the tunnel dies and the webhook stays registered: the sandbox's
    retries run out while it is down. Without, the listener goes away the way it does when the app
    quits (connectivity stops, deleting its webhook) and comes back when the app starts again.
    """
    await control(sandbox, "PUT", "world", {"bot": False, "speed": 50})
    people = contacts("82", 5)

    async def arrive(count: int, label: str) -> set[str]:
        ids = set()
        for n in range(count):
            created = await control(sandbox, "POST", "inbound", {"from": people[n % len(people)], "text": f"{label} {n}"})
            ids.add(created["message_id"])
        return ids

    def stored() -> set[str]:
        return {r[0] for r in rig.db.read().execute("SELECT message_id FROM messages")}

    first = await arrive(before, "before")
    await wait_for(lambda: first <= stored(), 30)

    if proxy is not None:
        await proxy.stop()
    else:
        await rig.connectivity.stop()
    hooks = (await control(sandbox, "GET", "counters"))["webhooks"]
    # Fast retries, so the sandbox gives up on every missed delivery within the test's time.
    await control(sandbox, "PUT", "world", {"speed": 2000})
    missed = await arrive(during, "during")
    if proxy is not None:
        await _until_every_retry_failed(sandbox, int(hooks["failed"]) + (len(BACKOFF_S) + 1) * during)
    down = (await control(sandbox, "GET", "counters"))["webhooks"]
    await control(sandbox, "PUT", "world", {"speed": 50})

    reports_before = len(rig.backfill_reports())
    if proxy is not None:
        await proxy.start()
        await rig.connectivity.restart_tunnel()  # what the watchdog does when the tunnel answers again
    else:
        await rig.connectivity.start()  # the app's next start
    await asyncio.sleep(0)
    await rig.settle_backfills()
    last = await arrive(after, "after")
    await wait_for(lambda: last <= stored(), 30)
    return OutageResult(
        before=first, during=missed, after=last, stored=stored(),
        reports=rig.backfill_reports()[reports_before:],
        delivered_while_down=down["succeeded"] - hooks["succeeded"],
        failed_while_down=down["failed"] - hooks["failed"],
    )


async def _until_every_retry_failed(sandbox: SandboxHandle, failed_total: int, timeout: float = 60) -> None:
    """Wait until the sandbox's failed-attempt counter reaches `failed_total`: those deliveries are lost."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if int((await control(sandbox, "GET", "counters"))["webhooks"]["failed"]) >= failed_total:
            return
        await asyncio.sleep(0.1)
