"""The reliability suite at full scale (CI runs the same scenarios small, in tests/reliability/).

    python -m bench.chaos [sends crash storm outage] [--scale 1.0]

sends   10,000 sends through 20 % injected faults (5xx, 429 + Retry-After, reset, accept-then-timeout)
        → exactly 10,000 messages at the sandbox, one per Idempotency-Key, every outbox item sent.
crash   1,000 sends; the sending process is SIGKILLed a quarter of the way in and restarted on the
        same database → exactly the 1,000, once each.
storm   1,000 messages (+100 reactions) with 10 % duplicated, all shuffled, ~5 % forged deliveries →
        store equals the sandbox; every forgery rejected and recorded.
outage  1,000 messages arrive while the tunnel is down → all backfilled on return, one report.
restart 1,000 messages arrive while the app is not listening → all backfilled when it is back.
Prints a table and writes bench/results/chaos.json. Each scenario runs on a fresh sandbox state.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from bench.common import RESULTS_DIR, ROOT, machine_info
from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.models import OutboxState
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.outbox import OutboxSender
from blooio_desktop.store import Database, OutboxRepository
from blooio_desktop.tunnel.external import ExternalTunnel
from tests.reliability.app_rig import FAST_RETRY, AppRig
from tests.reliability.proxy import TcpProxy
from tests.reliability.scenarios import OutageResult, webhook_storm
from tests.reliability.scenarios import outage as outage_scenario
from tests.support.sandbox import SandboxHandle, start_sandbox_process

Outcome = dict[str, Any]
FAULT_EACH = 0.055  # four kinds: 1 - 0.945**4 ≈ 20 % of send requests hit a fault


async def sends(sandbox: SandboxHandle, home: Path, n: int) -> Outcome:
    sandbox.set_faults(
        error_rate=FAULT_EACH, rate_limit_rate=FAULT_EACH, rate_limit_retry_after=1, reset_rate=FAULT_EACH,
        accept_then_timeout_rate=FAULT_EACH, hang_s=1.5, methods=["POST"], random_seed=3,
    )
    db = Database.open(home / "sends.sqlite3")
    bus = EventBus()
    async with BlooioClient(sandbox.api_key, sandbox.base_url, retry=FAST_RETRY, timeout=0.5) as client:
        sender = OutboxSender(client, db, bus, retry=FAST_RETRY, concurrency=8)
        service = MessagingService(client, db, bus, sender=sender)
        await service.start()
        keys = [(await service.send(f"+1555600{i % 50:04d}", f"chaos {i}")).idempotency_key for i in range(n)]
        await sender.drain()
        await service.stop()
    items = OutboxRepository(db.read()).items()
    db.close()
    counters = sandbox.counters()
    by_key = counters["sends_by_key"]
    return {
        "n": n,
        "faults injected": sum(counters["faults"].values()),
        "lost": sum(1 for k in keys if by_key.get(k, 0) == 0),
        "duplicated": sum(max(0, c - 1) for c in by_key.values()),
        "not sent": sum(1 for i in items if i.state is not OutboxState.SENT),
        "ok": counters["messages_created"] == n and by_key == {k: 1 for k in keys},
    }


def _driver(sandbox: SandboxHandle, db_path: Path, n: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.support.outbox_driver", str(db_path), sandbox.base_url, "--count", str(n)],
        stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), "BLOOIO_API_KEY": sandbox.api_key},
    )


async def crash(sandbox: SandboxHandle, home: Path, n: int) -> Outcome:
    sandbox.set_faults(latency_ms=15, accept_then_timeout_rate=0.05, hang_s=1.0, methods=["POST"], random_seed=5)
    db_path = home / "crash.sqlite3"
    first = _driver(sandbox, db_path, n)
    assert first.stdout is not None
    for line in first.stdout:
        if line.startswith("sent ") and int(line.split()[1]) >= n // 4:
            break
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    at_kill = sandbox.counters()["messages_created"]
    second = _driver(sandbox, db_path, n)
    out, _ = await asyncio.to_thread(second.communicate, timeout=600)
    db = Database.open(db_path)
    items = OutboxRepository(db.read()).items()
    db.close()
    by_key = sandbox.counters()["sends_by_key"]
    keys = {i.idempotency_key for i in items}
    return {
        "n": n,
        "created before restart": at_kill,
        "lost": sum(1 for k in keys if by_key.get(k, 0) == 0) + max(0, n - len(items)),
        "duplicated": sum(max(0, c - 1) for c in by_key.values()),
        "ok": out.rstrip().endswith("done") and len(items) == n and by_key == {k: 1 for k in keys},
    }


async def storm(sandbox: SandboxHandle, home: Path, n: int) -> Outcome:
    rig = AppRig(sandbox, home)
    await rig.start()
    try:
        result = await webhook_storm(sandbox, rig, outbound=n // 2, inbound=n // 2, reactions=n // 10)
    finally:
        await rig.close()
    forged = len(result.forged_answers)
    return {
        "n": len(result.truth),
        "mismatched": len(result.mismatched),
        "duplicates recognised": result.duplicates_recorded,
        "forged": forged,
        "forged share": round(forged / max(1, forged + result.genuine_delivered), 3),
        "forged accepted": sum(1 for s in result.forged_answers if s < 400) + len(result.forged_ids & set(result.stored)),
        "forged recorded": result.rejected_recorded,
        "ok": not result.mismatched and result.rejected_recorded == forged
        and all(s in (400, 401) for s in result.forged_answers),
    }


async def outage(sandbox: SandboxHandle, home: Path, n: int) -> Outcome:
    """The tunnel dies (webhook still registered, the sandbox's retries run out) and comes back."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proxy = TcpProxy(target_port=port)
    await proxy.start()
    rig = AppRig(sandbox, home, tunnel=ExternalTunnel(proxy.url), listener_port=port)
    try:
        await rig.start()
        return _outage_outcome(await outage_scenario(sandbox, rig, proxy=proxy, before=n // 10, during=n, after=n // 10))
    finally:
        await rig.close()
        await proxy.stop()


async def restart(sandbox: SandboxHandle, home: Path, n: int) -> Outcome:
    """The app stops listening (quit: its webhook is deleted) while messages arrive, then starts again."""
    rig = AppRig(sandbox, home)
    try:
        await rig.start()
        return _outage_outcome(await outage_scenario(sandbox, rig, proxy=None, before=n // 10, during=n, after=n // 10))
    finally:
        await rig.close()


def _outage_outcome(result: OutageResult) -> Outcome:
    missing = (result.before | result.during | result.after) - result.stored
    return {
        "n": len(result.during),
        "delivered while down": result.delivered_while_down,
        "missing after return": len(missing),
        "backfilled (reported)": result.backfilled,
        "reports": [r.summary for r in result.reports],
        "ok": not missing and result.backfilled == len(result.during) and len(result.reports) == 1,
    }


SCENARIOS: dict[str, tuple[int, Callable[[SandboxHandle, Path, int], Awaitable[Outcome]]]] = {
    "sends": (10_000, sends),
    "crash": (1_000, crash),
    "storm": (1_000, storm),
    "outage": (1_000, outage),
    "restart": (1_000, restart),
}


async def run(names: list[str], scale: float) -> dict[str, Outcome]:
    sandbox = start_sandbox_process(["--memory", "--no-seed", "--speed", "50"])
    outcomes: dict[str, Outcome] = {}
    try:
        for name in names:
            size, scenario = SCENARIOS[name]
            sandbox.reset(seed=False)
            sandbox.control("PUT", "world", {"bot": False, "speed": 50})
            started = time.monotonic()
            with tempfile.TemporaryDirectory() as tmp:
                outcome = await scenario(sandbox, Path(tmp), max(10, int(size * scale)))
            outcome["seconds"] = round(time.monotonic() - started, 1)
            outcomes[name] = outcome
            print(f"{name}: {json.dumps(outcome)}", flush=True)
    finally:
        sandbox.stop()
    return outcomes


def table(outcomes: dict[str, Outcome]) -> str:
    lines = ["| scenario | N | outcome | time | holds |", "|---|---|---|---|---|"]
    for name, o in outcomes.items():
        details = ", ".join(f"{k} {v}" for k, v in o.items() if k not in ("n", "ok", "seconds"))
        lines.append(f"| {name} | {o['n']:,} | {details} | {o['seconds']} s | {'yes' if o['ok'] else '**NO**'} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenarios", nargs="*", help=f"any of {', '.join(SCENARIOS)} (default: all)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every N (0.1 for a quick look)")
    args = parser.parse_args()
    unknown = set(args.scenarios) - set(SCENARIOS)
    if unknown:
        parser.error(f"unknown scenario {', '.join(sorted(unknown))}: choose from {', '.join(SCENARIOS)}")
    os.environ.setdefault("PYTHON_KEYRING_BACKEND", "tests.support.memory_keyring.MemoryKeyring")
    outcomes = asyncio.run(run(args.scenarios or list(SCENARIOS), args.scale))
    print("\n## Reliability at full scale\n\n" + table(outcomes))
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / "chaos.json"
    path.write_text(json.dumps({"machine": machine_info(), "scale": args.scale, "outcomes": outcomes,
                                "table": table(outcomes)}, indent=2) + "\n")
    print(f"\nwrote {path.relative_to(ROOT)}")
    return 0 if all(o["ok"] for o in outcomes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
