"""kill -9 in the middle of a burst, restart on the same database: every send exists exactly once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from blooio_desktop.core.models import OutboxState
from blooio_desktop.store import Database, OutboxRepository
from tests.support.sandbox import SandboxHandle

COUNT = 300


def _driver(sandbox: SandboxHandle, db_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.outbox_driver",
            str(db_path),
            sandbox.base_url,
            "--count",
            str(COUNT),
        ],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "BLOOIO_API_KEY": sandbox.api_key},
        cwd=Path(__file__).resolve().parents[2],
    )


def test_a_sender_killed_mid_burst_resumes_with_the_same_keys(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    # Slow sends, and some answered only after the client gave up: the kill lands on requests in flight.
    sandbox.set_faults(
        latency_ms=15, accept_then_timeout_rate=0.05, hang_s=1.0, methods=["POST"], random_seed=5
    )
    db_path = app_home / "data" / "acct.sqlite3"

    first = _driver(sandbox, db_path)
    assert first.stdout is not None
    deadline = time.monotonic() + 60
    for line in first.stdout:
        if line.startswith("sent ") and int(line.split()[1]) >= COUNT // 4:
            break
        assert time.monotonic() < deadline, "the driver made no progress"
    first.send_signal(signal.SIGKILL)
    first.wait(10)
    assert first.returncode == -signal.SIGKILL
    created_before_restart = sandbox.counters()["messages_created"]
    assert COUNT // 4 <= created_before_restart < COUNT

    second = _driver(sandbox, db_path)
    out, _ = second.communicate(timeout=90)
    assert second.returncode == 0 and out.rstrip().endswith("done")

    db = Database.open(db_path)
    items = OutboxRepository(db.read()).items()
    local_left = (
        db.read()
        .execute("SELECT count(*) FROM messages WHERE message_id LIKE 'local:%'")
        .fetchone()[0]
    )
    db.close()
    assert len(items) == COUNT and {i.state for i in items} == {OutboxState.SENT}
    assert local_left == 0
    counters = sandbox.counters()
    assert counters["sends_by_key"] == {i.idempotency_key: 1 for i in items}
    assert counters["messages_created"] == COUNT
