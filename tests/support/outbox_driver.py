"""A sending process for the SIGKILL test: enqueue N sends on a database and drain the outbox.

    BLOOIO_API_KEY=… python -m tests.support.outbox_driver DB BASE_URL --count N

Run it again on the same DB after a kill: it only tops the outbox up to N items (so the set of sends
is fixed) and resumes — items left `sending` are re-sent with their original Idempotency-Keys.
Prints "sent <n>" as sends complete and "done" at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.core.events import Changes
from blooio_desktop.core.models import OutboxState
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.outbox import OutboxSender
from blooio_desktop.store import Database, OutboxRepository

RETRY = RetryPolicy(max_retries=2, base_delay=0.01, max_delay=0.05, max_retry_after=0.05)


async def run(db_path: str, base_url: str, count: int, timeout: float) -> None:
    db = Database.open(db_path)
    bus = EventBus()
    outbox = OutboxRepository(db.read())

    def report(changes: Changes) -> None:
        if changes.outbox:
            print(f"sent {len(outbox.items([OutboxState.SENT]))}", flush=True)

    bus.subscribe(Changes, report)
    async with BlooioClient(
        os.environ["BLOOIO_API_KEY"], base_url, retry=RETRY, timeout=timeout
    ) as client:
        sender = OutboxSender(client, db, bus, retry=RETRY, concurrency=8)
        service = MessagingService(client, db, bus, sender=sender)
        await service.start()
        for i in range(len(outbox.items()), count):
            await service.send(f"+1555700{i % 20:04d}", f"burst {i}")
        await sender.drain()
        await service.stop()
    db.close()
    print("done", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("base_url")
    parser.add_argument("--count", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=0.5)
    args = parser.parse_args()
    asyncio.run(run(args.db, args.base_url, args.count, args.timeout))
    return 0


if __name__ == "__main__":
    sys.exit(main())
