"""Idempotent replays and fault injection, observed on the wire (a real sandbox child process)."""

from __future__ import annotations

import httpx
import pytest

from tests.support.sandbox import SandboxHandle

SEND = "chats/%2B15551230001/messages"


def test_idempotent_replay_returns_200_with_identical_body(sandbox: SandboxHandle) -> None:
    headers = {"Idempotency-Key": "order-42"}
    first = sandbox.api("POST", SEND, json={"text": "once"}, headers=headers)
    second = sandbox.api("POST", SEND, json={"text": "once"}, headers=headers)
    assert (first.status_code, second.status_code) == (202, 200)
    assert second.content == first.content and first.json()["status"] == "queued"
    counters = sandbox.counters()
    assert counters["sends_by_key"] == {"order-42": 1}
    assert counters["messages_created"] == 1 and counters["idempotent_replays"] == 1
    assert counters["send_requests"] == 2


def test_error_rate_returns_configured_5xx(sandbox: SandboxHandle) -> None:
    sandbox.set_faults(error_rate=1, error_statuses=[503])
    res = sandbox.api("GET", "me")
    assert res.status_code == 503 and res.json()["status"] == 503
    assert sandbox.counters()["faults"] == {"error": 1}


def test_rate_limit_has_retry_after_and_no_code(sandbox: SandboxHandle) -> None:
    sandbox.set_faults(rate_limit_rate=1, rate_limit_retry_after=3)
    res = sandbox.api("GET", "me")
    assert res.status_code == 429 and res.headers["Retry-After"] == "3"
    assert "code" not in res.json()


def test_reset_drops_the_connection_before_processing(sandbox: SandboxHandle) -> None:
    sandbox.set_faults(reset_rate=1)
    with pytest.raises(httpx.TransportError):
        sandbox.api("POST", SEND, json={"text": "lost"}, headers={"Idempotency-Key": "r1"})
    assert sandbox.counters()["messages_created"] == 0
    assert sandbox.control("GET", "state")["messages"] == []


def test_accept_then_timeout_processes_then_drops(sandbox: SandboxHandle) -> None:
    sandbox.set_faults(accept_then_timeout_rate=1, hang_s=0.2)
    with pytest.raises(httpx.TransportError):
        sandbox.api("POST", SEND, json={"text": "hung"}, headers={"Idempotency-Key": "h1"})
    sandbox.set_faults()
    retry = sandbox.api("POST", SEND, json={"text": "hung"}, headers={"Idempotency-Key": "h1"})
    assert retry.status_code == 200
    assert sandbox.counters()["sends_by_key"] == {"h1": 1}


def test_latency_paths_and_methods_scope_the_faults(sandbox: SandboxHandle) -> None:
    sandbox.set_faults(error_rate=1, paths=r"/messages$", methods=["POST"], latency_ms=5)
    assert sandbox.api("GET", "me").status_code == 200
    assert sandbox.api("POST", SEND, json={"text": "x"}).status_code >= 500
    assert sandbox.control("GET", "counters")["faults"]["latency"] == 1


def test_faults_never_touch_control_endpoints_and_reset_clears_them(sandbox: SandboxHandle) -> None:
    sandbox.set_faults(reset_rate=1, random_seed=1)
    assert sandbox.control("GET", "faults")["reset_rate"] == 1
    sandbox.reset()
    assert sandbox.control("GET", "faults")["reset_rate"] == 0
    assert sandbox.api("GET", "me").status_code == 200


def test_bad_fault_config_is_rejected(sandbox: SandboxHandle) -> None:
    for bad in ({"error_rate": 2}, {"nonsense": 1}, {"paths": "("}):
        res = sandbox._http.put(f"{sandbox.root}/_sandbox/faults", json=bad)
        assert res.status_code == 400 and res.json()["message"]
