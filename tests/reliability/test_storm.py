"""Webhook storm: duplicated, shuffled and forged deliveries → the store equals the sandbox's truth.

The sandbox duplicates 10 % of its webhooks and delivers every one after a random delay (so they
arrive out of order), while an attacker posts forgeries (~5 % of all deliveries: wrong secret, stale
timestamp, no signature, legacy body-only scheme, a real signature over a tampered body). The app's
real receiving path — listener, dedupe, batched ingest, inspector — must end equal to the server and
must reject and record every forgery. Full scale: `python -m bench.chaos storm`.
"""

from __future__ import annotations

from tests.reliability.app_rig import AppRig
from tests.reliability.scenarios import webhook_storm
from tests.support.sandbox import SandboxHandle


async def test_a_duplicated_shuffled_and_forged_storm_ends_equal_to_the_sandbox(
    rig: AppRig, sandbox: SandboxHandle
) -> None:
    result = await webhook_storm(sandbox, rig, outbound=40, inbound=40, reactions=10)

    assert len(result.truth) == 80
    assert result.mismatched == {}
    assert result.duplicates_recorded > 0  # the sandbox did duplicate, and the copies were recognised
    assert result.forged_answers and all(status in (400, 401) for status in result.forged_answers)
    assert result.rejected_recorded == len(result.forged_answers)  # every forgery is in the inspector
    assert not result.forged_ids & set(result.stored)
    assert len(result.forged_answers) >= 0.05 * (result.genuine_delivered + len(result.forged_answers)) * 0.8
