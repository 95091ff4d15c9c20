"""The deliveries table and its event/verdict filter."""

from __future__ import annotations

import dataclasses
from typing import Any

from blooio_desktop.core.models import WebhookDelivery
from blooio_desktop.ui.workbench.model import DeliveriesModel, DeliveryFilterProxy, DeliveryRole


def _delivery(i: int, event: str = "message.received", verdict: str = "valid") -> WebhookDelivery:
    return WebhookDelivery(
        id=i,
        received_at=1_700_000_000.0 + i,
        method="POST",
        path="/webhook",
        headers=(("X-Blooio-Event", event),),
        body=b'{"event": "%s"}' % event.encode(),
        verdict=verdict,
        response_status=200 if verdict == "valid" else 401,
        event=event,
        message_id=f"m{i}",
        delay_ms=12.0,
    )


def test_new_deliveries_go_on_top_and_known_ids_update_in_place(
    qtmodeltester: Any, qtbot: Any
) -> None:
    model = DeliveriesModel()
    model.set_deliveries([_delivery(1), _delivery(2)])
    qtmodeltester.check(model)
    assert model.delivery(0).id == 2
    with qtbot.waitSignal(model.rowsInserted):
        model.add(_delivery(3, verdict="invalid"))
    assert [model.delivery(r).id for r in range(3)] == [3, 2, 1]
    assert model.index(0, 2).data() == "invalid" and model.index(0, 3).data() == "401"
    with qtbot.waitSignal(model.dataChanged):
        model.add(dataclasses.replace(_delivery(1), note="refined"))
    assert model.rowCount() == 3
    assert model.events() == ["message.received"]


def test_filter_by_event_and_verdict(qtmodeltester: Any) -> None:
    model = DeliveriesModel()
    model.set_deliveries(
        [
            _delivery(1),
            _delivery(2, "message.sent"),
            _delivery(3, "message.sent", "stale"),
            _delivery(4, verdict="invalid"),
        ]
    )
    proxy = DeliveryFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)
    proxy.set_event("message.sent")
    assert sorted(proxy.index(r, 0).data(DeliveryRole).id for r in range(proxy.rowCount())) == [
        2,
        3,
    ]
    proxy.set_verdict("stale")
    assert [proxy.index(r, 0).data(DeliveryRole).id for r in range(proxy.rowCount())] == [3]
    proxy.set_event("")
    proxy.set_verdict("invalid")
    assert [proxy.index(r, 0).data(DeliveryRole).id for r in range(proxy.rowCount())] == [4]
    qtmodeltester.check(proxy)
