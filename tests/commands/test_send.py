"""`blooio-desktop send` as a user runs it: a real subprocess against the real sandbox."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.sandbox import SandboxHandle

ROOT = Path(__file__).resolve().parents[2]


def run_send(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "blooio_desktop", "send", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd or ROOT,
        timeout=60,
    )


@pytest.fixture
def account(sandbox: SandboxHandle) -> dict[str, str]:
    sandbox.control("PUT", "world", {"bot": False})
    return {"BLOOIO_API_KEY": sandbox.api_key, "BLOOIO_BASE_URL": sandbox.base_url}


def assert_clean_failure(proc: subprocess.CompletedProcess[str], code: int, fragment: str) -> None:
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert fragment in proc.stderr
    assert proc.stdout == ""


def test_send_prints_id_and_status_after_the_capability_check(
    account: dict[str, str], sandbox: SandboxHandle
) -> None:
    proc = run_send("+1 (555) 123-4567", "Hello from the CLI", env=account)
    assert proc.returncode == 0, proc.stderr
    message_id, status = proc.stdout.split()
    assert status == "queued"
    assert "+15551234567 can receive iMessage" in proc.stderr
    [stored] = sandbox.control("GET", "state")["messages"]
    assert (stored["message_id"], stored["chat_id"], stored["text"]) == (
        message_id,
        "+15551234567",
        "Hello from the CLI",
    )


def test_sms_only_recipients_are_announced(account: dict[str, str]) -> None:
    proc = run_send("+13105550199", "hi", env=account)
    assert proc.returncode == 0, proc.stderr
    assert "+13105550199 is SMS-only: Blooio will fall back to SMS" in proc.stderr


def test_json_output_attachments_sender_and_idempotent_retry(
    account: dict[str, str], sandbox: SandboxHandle
) -> None:
    args = (
        "jane@example.com",
        "see attached",
        "--attach",
        "https://example.com/a.jpg",
        "--attach",
        "https://example.com/b.pdf",
        "--from",
        "+15550002222",
        "--idempotency-key",
        "cli-1",
        "--json",
    )
    first = json.loads(run_send(*args, env=account).stdout)
    second = json.loads(run_send(*args, env=account).stdout)
    assert (
        first["status"] == "queued"
        and first["idempotency_key"] == "cli-1"
        and not first["replayed"]
    )
    assert second["replayed"] and second["message_id"] == first["message_id"]
    [stored] = sandbox.control("GET", "state")["messages"]
    assert [a["url"] for a in stored["attachments"]] == [
        "https://example.com/a.jpg",
        "https://example.com/b.pdf",
    ]
    assert stored["internal_id"] == "+15550002222"


def test_key_from_a_dotenv_file_in_the_working_directory(
    sandbox: SandboxHandle, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text(
        f"BLOOIO_API_KEY={sandbox.api_key}\nBLOOIO_BASE_URL={sandbox.base_url}\n"
    )
    proc = run_send("+15551234567", "via .env", "--no-check", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "can receive" not in proc.stderr


def test_no_key_explains_where_to_put_one() -> None:
    proc = run_send("+15551234567", "hi")
    assert_clean_failure(proc, 2, "BLOOIO_API_KEY")
    assert ".env" in proc.stderr and "keyring" in proc.stderr


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("5551234567", "hi"), "needs a country code"),
        (("+15551234567", ""), "Type a message or attach a link"),
        (
            ("+15551234567", "hi", "--attach", "file:///etc/passwd"),
            "must start with http:// or https://",
        ),
        (("+15551234567", "hi", "--from", "abc"), "country code"),
        (("+15551234567", "hi", "--idempotency-key", " "), "idempotency key is empty"),
        (("+15551234567", "hi", "--base-url", "backend.blooio.com"), "--base-url option"),
        (("+15551234567", "hi", "--timeout", "0"), "--timeout"),
    ],
)
def test_bad_input_is_one_clear_line_and_exit_2(
    account: dict[str, str], sandbox: SandboxHandle, args: tuple[str, ...], fragment: str
) -> None:
    before = sandbox.counters()["requests"]
    assert_clean_failure(run_send(*args, env=account), 2, fragment)
    assert sandbox.counters()["requests"] == before  # nothing reached the API


def test_rejected_key_fails_without_echoing_it(account: dict[str, str]) -> None:
    proc = run_send("+15551234567", "hi", env={**account, "BLOOIO_API_KEY": "bl_live_notthekey42"})
    assert_clean_failure(proc, 1, "API key was rejected")
    assert "notthekey42" not in proc.stderr


def test_unreachable_api_says_nothing_was_sent(account: dict[str, str]) -> None:
    proc = run_send(
        "+15551234567",
        "hi",
        "--timeout",
        "2",
        env={**account, "BLOOIO_BASE_URL": "http://127.0.0.1:9/v2/api"},
    )
    assert_clean_failure(proc, 1, "Nothing was sent")


def test_server_errors_after_retries_exit_1(
    account: dict[str, str], sandbox: SandboxHandle
) -> None:
    sandbox.set_faults(error_rate=1, error_statuses=[503], paths="/messages$")
    proc = run_send("+15551234567", "hi", env=account)
    assert_clean_failure(proc, 1, "HTTP 503")


def test_accept_then_timeout_suggests_the_key_to_retry_with(
    account: dict[str, str], sandbox: SandboxHandle
) -> None:
    sandbox.set_faults(accept_then_timeout_rate=1, hang_s=3, paths="/messages$")
    proc = run_send(
        "+15551234567",
        "hi",
        "--timeout",
        "0.5",
        "--idempotency-key",
        "job-9",
        "--no-check",
        env=account,
    )
    assert_clean_failure(proc, 1, "--idempotency-key job-9")
    assert sandbox.counters()["sends_by_key"] == {"job-9": 1}
