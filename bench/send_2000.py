"""Send 2,000 messages to the sandbox: our outbox vs the Python guide's sequential `requests.post` loop.

Ours is the whole product path: `MessagingService.send` (outbox row + optimistic message in SQLite),
`OutboxSender` (bounded concurrency, Idempotency-Key, retries) and the reconciliation write of every
server id. The peer is `send_imessage` copied from ../shared/blooio-python-guide.txt, called in a loop.
Both talk to the same sandbox child process, reset before every run; runs alternate ours/peer.
Measured twice: on loopback with the sandbox answering at once (what both cost in CPU on this
machine), and with every API answer held `--round-trip-ms` by the sandbox's latency fault (a fast
internet round trip to Blooio: what a user's bulk send waits on).

    python -m bench.send_2000 [--count 2000] [--runs 3] [--round-trip-ms 20]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

import aiohttp
import httpx
import requests

from bench.common import Report, Row, Stats
from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.models import OutboxState
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.store import Database, OutboxRepository
from tests.support.sandbox import SandboxHandle, start_sandbox_process

CHATS = [f"+1555700{n:04d}" for n in range(20)]


def guide_loop(base_url: str, api_key: str, count: int) -> float:
    """The guide's `send_imessage`, verbatim apart from the base URL; returns elapsed seconds."""

    def send_imessage(to: str, text: str) -> dict[str, object]:
        chat_id = quote(to, safe="")
        res = requests.post(
            f"{base_url}/chats/{chat_id}/messages",
            headers={"Authorization": f"Bearer {api_key}", "Content-Type": "application/json"},
            json={"text": text},
            timeout=10,
        )
        res.raise_for_status()
        result: dict[str, object] = res.json()
        return result

    started = time.perf_counter()
    for i in range(count):
        send_imessage(CHATS[i % len(CHATS)], f"guide message {i}")
    return time.perf_counter() - started


async def bare_client(kind: str, base_url: str, api_key: str, count: int, concurrency: int = 8) -> float:
    """Context, not a peer: the same POSTs from a bare httpx or aiohttp client, no store, no retries.

    It shows what bounds our figure: the HTTP client's own cost per request under concurrency.
    """
    gate = asyncio.Semaphore(concurrency)
    headers = {"Authorization": f"Bearer {api_key}"}

    def url(i: int) -> str:
        return f"{base_url}/chats/{quote(CHATS[i % len(CHATS)], safe='')}/messages"

    started = time.perf_counter()
    if kind == "httpx":
        async with httpx.AsyncClient() as http:

            async def one_httpx(i: int) -> None:
                async with gate:
                    (await http.post(url(i), json={"text": f"m {i}"}, headers=headers)).raise_for_status()

            await asyncio.gather(*(one_httpx(i) for i in range(count)))
    else:
        async with aiohttp.ClientSession(raise_for_status=True) as session:

            async def one_aiohttp(i: int) -> None:
                async with gate, session.post(url(i), json={"text": f"m {i}"}, headers=headers) as res:
                    await res.read()

            await asyncio.gather(*(one_aiohttp(i) for i in range(count)))
    return time.perf_counter() - started


async def ours(base_url: str, api_key: str, count: int, home: Path) -> float:
    """Queue `count` sends through the product's outbox and wait until every one is SENT."""
    db = Database.open(home / "bench.sqlite3")
    try:
        async with BlooioClient(api_key, base_url) as client:
            service = MessagingService(client, db, EventBus())
            await service.start()
            started = time.perf_counter()
            for i in range(count):
                await service.send(CHATS[i % len(CHATS)], f"desktop message {i}")
            await service.outbox.drain()
            elapsed = time.perf_counter() - started
            await service.stop()
        states = {item.state for item in OutboxRepository(db.read()).items()}
        if states != {OutboxState.SENT}:
            raise RuntimeError(f"not every send succeeded: {states}")
        return elapsed
    finally:
        db.close()


def check(sandbox: SandboxHandle, count: int) -> None:
    created = sandbox.counters()["messages_created"]
    if created != count:
        raise RuntimeError(f"the sandbox holds {created} messages, expected {count}")


def round_trip_runs(sandbox: SandboxHandle, args: argparse.Namespace, latency_ms: float) -> tuple[list[float], list[float]]:
    """Ours and the guide loop, alternating, with every API answer held `latency_ms` by the sandbox."""

    def fresh_sandbox() -> None:
        sandbox.reset(seed=False)  # also clears the faults
        if latency_ms:
            sandbox.control("PUT", "faults", {"latency_ms": latency_ms})

    ours_s: list[float] = []
    peer_s: list[float] = []
    for run in range(args.runs):
        fresh_sandbox()
        with tempfile.TemporaryDirectory() as tmp:
            ours_s.append(asyncio.run(ours(sandbox.base_url, sandbox.api_key, args.count, Path(tmp))))
        check(sandbox, args.count)
        fresh_sandbox()
        peer_s.append(guide_loop(sandbox.base_url, sandbox.api_key, args.count))
        check(sandbox, args.count)
        print(f"{latency_ms:g} ms round trip, run {run + 1}: ours {ours_s[-1]:.2f} s, guide loop {peer_s[-1]:.2f} s")
    sandbox.reset(seed=False)
    return ours_s, peer_s


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--round-trip-ms", type=float, default=20.0,
        help="the second measurement holds every API answer this long (a fast internet round trip)",
    )
    args = parser.parse_args()
    sandbox = start_sandbox_process(["--memory", "--no-seed", "--speed", "50"])
    ceiling: dict[str, list[float]] = {"httpx": [], "aiohttp": []}
    try:
        sandbox.control("PUT", "world", {"bot": False, "speed": 50})
        loopback = round_trip_runs(sandbox, args, 0)
        for run in range(args.runs):
            for kind, times in ceiling.items():
                sandbox.reset(seed=False)
                times.append(asyncio.run(bare_client(kind, sandbox.base_url, sandbox.api_key, args.count)))
            print(f"bare clients, run {run + 1}: httpx {ceiling['httpx'][-1]:.2f} s, aiohttp {ceiling['aiohttp'][-1]:.2f} s")
        remote = round_trip_runs(sandbox, args, args.round_trip_ms)
    finally:
        sandbox.stop()
    report = Report("send_2000", f"Send {args.count:,} messages to the sandbox", params=vars(args))
    for label, (ours_s, peer_s), note in (
        ("loopback, the sandbox answers at once", loopback, "CPU-bound: both sides and the sandbox share 2 cores"),
        (f"every answer held {args.round_trip_ms:g} ms (an internet round trip)", remote, "sandbox `latency_ms` fault"),
    ):
        rate = Stats.of([args.count / s for s in ours_s])
        peer_rate = Stats.of([args.count / s for s in peer_s])
        row = report.add(Row(f"sends/s, {label}", "msg/s", rate, peer_rate, "≥ 5× the guide loop", note=note))
        row.met = row.ratio is not None and row.ratio >= 5
        report.add(Row(f"wall time, {label}", "s", Stats.of(ours_s), Stats.of(peer_s)))
    peer_rate = Stats.of([args.count / s for s in loopback[1]])
    for kind, times in ceiling.items():
        report.add(
            Row(
                f"context: bare {kind} client, 8 concurrent, no store (loopback)",
                "msg/s",
                Stats.of([args.count / s for s in times]),
                peer_rate,
                note="what an HTTP client alone reaches against this sandbox",
            )
        )
    report.finish()


if __name__ == "__main__":
    main()
