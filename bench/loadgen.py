"""External load generator: signed `message.received` webhooks POSTed by aiohttp's client.

Runs in its own process (never httpx: too slow to generate load). Bodies are built and signed before
the clock starts. Two modes: `--rate R` sends open-loop at R events/s (latency runs); without it,
`--concurrency C` connections send back-to-back (throughput runs). Writes a JSON file with each
message id's send time (`time.monotonic()`, which is CLOCK_MONOTONIC and so comparable with the
receiving process on the same machine), ack latencies and status counts.

    python -m bench.loadgen URL --secret S --count N [--rate R | --concurrency C] [--scheme v1|legacy] --out F
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections import Counter
from pathlib import Path

import aiohttp

from blooio_desktop.webhook.signature import sign, sign_legacy

OUR_NUMBER = "+15550001111"


def body_for(n: int, chat: str, run: str) -> bytes:
    now = int(time.time() * 1000)
    payload = {
        "event": "message.received", "message_id": f"bench-{run}-{n:07d}", "external_id": chat,
        "internal_id": OUR_NUMBER, "status": "received", "protocol": "imessage", "timestamp": now,
        "is_group": False, "text": f"load {n} from the benchmark", "attachments": [], "sender": chat,
        "received_at": now,
    }
    return json.dumps(payload, separators=(",", ":")).encode()


def prepared(args: argparse.Namespace) -> list[tuple[str, bytes, dict[str, str]]]:
    out = []
    for n in range(args.count):
        chat = args.chats[n % len(args.chats)]
        body = body_for(n, chat, args.run)
        signature = sign_legacy(args.secret, body) if args.scheme == "legacy" else sign(args.secret, body)
        message_id = f"bench-{args.run}-{n:07d}"
        headers = {
            "Content-Type": "application/json", "X-Blooio-Event": "message.received",
            "X-Blooio-Message-Id": message_id, "X-Blooio-Signature": signature,
        }
        out.append((message_id, body, headers))
    return out


async def run(args: argparse.Namespace) -> dict[str, object]:
    requests = prepared(args)
    sent: dict[str, float] = {}
    acks: list[float] = []
    statuses: Counter[int] = Counter()
    connector = aiohttp.TCPConnector(limit=args.concurrency or 100)
    async with aiohttp.ClientSession(connector=connector) as session:

        async def post(message_id: str, body: bytes, headers: dict[str, str]) -> None:
            started = time.monotonic()
            sent[message_id] = started
            try:
                async with session.post(args.url, data=body, headers=headers) as res:
                    await res.read()
                    statuses[res.status] += 1
            except aiohttp.ClientError:
                statuses[-1] += 1
            acks.append((time.monotonic() - started) * 1000)

        started = time.monotonic()
        if args.rate:
            tasks = []
            for i, request in enumerate(requests):
                delay = started + i / args.rate - time.monotonic()
                if delay > 0:
                    await asyncio.sleep(delay)
                tasks.append(asyncio.create_task(post(*request)))
            await asyncio.gather(*tasks)
        else:
            queue = iter(requests)

            async def worker() -> None:
                for request in queue:
                    await post(*request)

            await asyncio.gather(*(worker() for _ in range(args.concurrency)))
        finished = time.monotonic()
    return {
        "started": started, "finished": finished, "sent": sent, "ack_ms": acks,
        "statuses": {str(k): v for k, v in statuses.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--secret", required=True)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--rate", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--scheme", choices=("v1", "legacy"), default="v1")
    parser.add_argument("--chats", nargs="+", default=[f"+1555{n:07d}" for n in range(50)])
    parser.add_argument("--run", default="0")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.write_text(json.dumps(asyncio.run(run(args))))


if __name__ == "__main__":
    main()
