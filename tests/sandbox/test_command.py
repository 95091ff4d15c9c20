"""`blooio-desktop sandbox` as a real child process: ready line, auth, signals, --data-dir restarts."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from tests.support.sandbox import SandboxHandle, start_sandbox_process


def test_ready_line_points_at_a_working_api(sandbox: SandboxHandle) -> None:
    assert sandbox.base_url.startswith("http://127.0.0.1:") and sandbox.base_url.endswith("/v2/api")
    me = sandbox.api("GET", "me")
    assert me.status_code == 200
    assert me.json()["api_key"] == sandbox.api_key


@pytest.mark.parametrize("auth", [None, "Bearer wrong", "bl_live_notbearer"])
def test_wrong_or_missing_key_is_401_with_error_body(
    sandbox: SandboxHandle, auth: str | None
) -> None:
    headers = {"Authorization": auth} if auth else {}
    res = sandbox._http.get(f"{sandbox.base_url}/me", headers=headers)
    assert res.status_code == 401
    assert res.json() == {
        "error": "unauthorized",
        "message": "Invalid or missing API key",
        "status": 401,
    }


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_stops_cleanly_on_signal(sig: signal.Signals) -> None:
    handle = start_sandbox_process(["--memory", "--no-seed", "--api-key", "bl_test_key"])
    assert handle.api_key == "bl_test_key"
    assert handle.process is not None
    handle.process.send_signal(sig)
    assert handle.process.wait(10) == 0
    handle.stop()


def test_data_dir_survives_a_restart(tmp_path: Path) -> None:
    args = ["--data-dir", str(tmp_path / "sbx"), "--no-seed", "--api-key", "bl_demo"]
    first = start_sandbox_process(args)
    try:
        assert (
            first.api(
                "POST", "contacts", json={"identifier": "+15557654321", "name": "Kept"}
            ).status_code
            == 201
        )
    finally:
        first.stop()
    second = start_sandbox_process(args)
    try:
        contact = second.api("GET", "contacts/%2B15557654321").json()
        assert contact["name"] == "Kept"
    finally:
        second.stop()


def test_seeded_sandbox_has_realistic_demo_data() -> None:
    handle = start_sandbox_process(["--memory", "--seed"])
    try:
        contacts = handle.api("GET", "contacts", params={"limit": 200}).json()
        chats = handle.api("GET", "chats", params={"limit": 200}).json()["chats"]
        numbers = {n["phone_number"] for n in handle.api("GET", "me/numbers").json()["numbers"]}
    finally:
        handle.stop()
    assert contacts["pagination"]["total"] >= 18
    assert sum(c["name"] is not None for c in contacts["contacts"]) >= 15
    groups = [c for c in chats if c["is_group"]]
    assert len(groups) >= 2 and all(g["group_name"] for g in groups)
    assert sum(c["message_count"] for c in chats) >= 200
    assert numbers == {"+15550001111", "+15550002222"}
