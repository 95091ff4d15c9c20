"""Tunnel or listener outage while messages arrive: every one is backfilled on return, and reported.

The webhook is registered at a relay standing in for the tunnel. The relay goes down, messages keep
arriving at the sandbox, whose delivery retries run out (those webhooks are lost for good). When the
relay answers again, the connectivity service re-verifies the tunnel, which triggers one backfill;
its `BackfillReport` must count exactly the missed messages and name their chats. The same holds when
the listener itself goes away (the app quits: its webhook is deleted) and comes back.
Full scale: `python -m bench.chaos outage`.
"""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from blooio_desktop.tunnel.external import ExternalTunnel
from tests.reliability.app_rig import AppRig
from tests.reliability.proxy import TcpProxy
from tests.reliability.scenarios import outage
from tests.support.sandbox import SandboxHandle


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
async def relay_rig(sandbox: SandboxHandle, app_home: Path) -> AsyncIterator[tuple[AppRig, TcpProxy]]:
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    port = free_port()
    proxy = TcpProxy(target_port=port)
    await proxy.start()
    rig = AppRig(sandbox, app_home, tunnel=ExternalTunnel(proxy.url), listener_port=port)
    await rig.start()
    yield rig, proxy
    await rig.close()
    await proxy.stop()


async def test_messages_missed_during_a_tunnel_outage_are_backfilled_and_reported(
    relay_rig: tuple[AppRig, TcpProxy], sandbox: SandboxHandle
) -> None:
    rig, proxy = relay_rig
    result = await outage(sandbox, rig, proxy=proxy, before=10, during=25, after=10)

    assert result.delivered_while_down == 0 and result.failed_while_down > 0  # the outage was real
    assert result.before | result.during | result.after <= result.stored
    assert len(result.reports) == 1
    assert result.backfilled == len(result.during)
    assert set(result.reports[0].chats) == {
        m["chat_id"] for m in sandbox.control("GET", "state")["messages"] if m["message_id"] in result.during
    }
    assert result.reports[0].summary == "25 messages backfilled"


async def test_messages_that_arrive_while_the_app_is_not_listening_are_backfilled_on_its_return(
    rig: AppRig, sandbox: SandboxHandle
) -> None:
    result = await outage(sandbox, rig, proxy=None, before=5, during=20, after=5)

    assert result.delivered_while_down == 0
    assert result.before | result.during | result.after <= result.stored
    assert [r.summary for r in result.reports] == ["20 messages backfilled"]
