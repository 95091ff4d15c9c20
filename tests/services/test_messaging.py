"""MessagingService against a real sandbox: optimistic sends, reconciliation, failures, receipts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.events import Changes, WebhookEvent
from blooio_desktop.core.models import Direction, OutboxState
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.messaging import MessagingService
from blooio_desktop.services.outbox import OutboxSender
from blooio_desktop.services.sync import SyncService
from blooio_desktop.services.webhook_intake import WebhookIntake
from blooio_desktop.store import ChatRepository, Database, MessageRepository
from blooio_desktop.webhook.listener import WebhookListener
from tests.support.intake import build_intake, ingest
from tests.support.sandbox import SandboxHandle
from tests.support.waiting import wait_until

CHAT = "+15557770001"
FAST_RETRY = RetryPolicy(max_retries=0, base_delay=0.01, max_delay=0.02, max_retry_after=0.05)


@dataclass
class Rig:
    db: Database
    client: BlooioClient
    bus: EventBus
    service: MessagingService
    intake: WebhookIntake
    changes: list[Changes] = field(default_factory=list)

    def stored(self, message_id: str | None) -> MessageStatus | None:
        found = MessageRepository(self.db.read()).get(message_id) if message_id else None
        return found.status if found else None

    def shown(self) -> list[str]:
        return [m.message_id for m in MessageRepository(self.db.read()).page(CHAT)]


@pytest.fixture
async def rig(sandbox: SandboxHandle, app_home: Path) -> AsyncIterator[Rig]:
    sandbox.control("PUT", "world", {"bot": False, "speed": 50})
    db = Database.open(app_home / "data" / "acct.sqlite3")
    bus = EventBus()
    async with BlooioClient(
        sandbox.api_key, sandbox.base_url, retry=FAST_RETRY, timeout=5
    ) as client:
        sender = OutboxSender(client, db, bus, retry=FAST_RETRY)
        service = MessagingService(client, db, bus, sender=sender)
        rig = Rig(db, client, bus, service, build_intake(db, bus))
        bus.subscribe(Changes, rig.changes.append)
        await rig.service.start()
        yield rig
        await rig.service.stop()
    db.close()


async def test_a_send_shows_at_once_then_takes_its_server_id_in_place(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    item = await rig.service.send(CHAT, "hello there")
    shown = MessageRepository(rig.db.read()).get(item.local_message_id)
    assert (
        shown is not None
        and shown.status is MessageStatus.PENDING
        and shown.direction is Direction.OUTBOUND
    )
    assert rig.changes[0].inserted_messages == ((CHAT, item.local_message_id),)

    await asyncio.wait_for(rig.service.outbox.drain(), 10)
    [sent] = rig.service.outbox_items()
    assert sent.state is OutboxState.SENT and sent.server_message_id
    swap = next(c for c in rig.changes if c.removed_messages)
    assert swap.removed_messages == ((CHAT, item.local_message_id),)
    assert swap.inserted_messages == ((CHAT, sent.server_message_id),)
    [stored] = MessageRepository(rig.db.read()).page(CHAT)
    assert stored.message_id == sent.server_message_id and stored.status is MessageStatus.QUEUED
    assert sandbox.counters()["sends_by_key"] == {item.idempotency_key: 1}


async def test_bad_input_is_refused_before_anything_is_stored(rig: Rig) -> None:
    with pytest.raises(ValidationError, match="Type a message"):
        await rig.service.send(CHAT, "   ")
    with pytest.raises(ValidationError, match="country code"):
        await rig.service.send("5551234", "hi")
    assert rig.service.outbox_items() == []


async def test_a_non_retryable_error_fails_the_item_and_the_user_can_edit_and_retry(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    sandbox.set_faults(error_rate=1.0, error_statuses=[400], methods=["POST"])
    item = await rig.service.send(CHAT, "tpyo")
    await asyncio.wait_for(rig.service.outbox.drain(), 10)
    [failed] = rig.service.outbox_items()
    assert (
        failed.state is OutboxState.FAILED and failed.last_error and "Injected" in failed.last_error
    )
    shown = MessageRepository(rig.db.read()).get(item.local_message_id)
    assert (
        shown is not None
        and shown.status is MessageStatus.FAILED
        and shown.error == failed.last_error
    )

    sandbox.set_faults()
    await rig.service.retry(item.idempotency_key, text="typo fixed")
    await asyncio.wait_for(rig.service.outbox.drain(), 10)
    [sent] = rig.service.outbox_items()
    assert sent.state is OutboxState.SENT and sent.idempotency_key == item.idempotency_key
    [truth] = sandbox.control("GET", "state")["messages"]
    assert truth["text"] == "typo fixed" and truth["message_id"] == sent.server_message_id


async def test_a_failed_item_can_be_discarded_with_its_bubble(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    sandbox.set_faults(error_rate=1.0, error_statuses=[400], methods=["POST"])
    item = await rig.service.send(CHAT, "never mind")
    await asyncio.wait_for(rig.service.outbox.drain(), 10)
    await rig.service.discard(item.idempotency_key)
    assert rig.service.outbox_items() == []
    assert MessageRepository(rig.db.read()).get(item.local_message_id) is None
    with pytest.raises(ValidationError):
        await rig.service.retry(item.idempotency_key)


async def test_receipts_out_of_order_never_regress_and_reactions_toggle(rig: Rig) -> None:
    def status(event: str, at: int) -> WebhookEvent:
        return WebhookEvent(
            event=event, message_id="out1", external_id=CHAT, timestamp=at, text="hi"
        )

    for event in (
        status("message.delivered", 3),
        status("message.sent", 2),
        status("message.delivered", 3),
    ):
        await ingest(rig.intake, event)
    stored = MessageRepository(rig.db.read()).get("out1")
    assert stored is not None and stored.status is MessageStatus.DELIVERED and stored.text == "hi"

    def reaction(action: str, at: int) -> WebhookEvent:
        return WebhookEvent(
            event="message.reaction",
            message_id="out1",
            external_id=CHAT,
            reaction="love",
            action=action,
            sender=CHAT,
            direction="inbound",
            timestamp=at,
        )

    await ingest(rig.intake, reaction("add", 10))
    await ingest(rig.intake, reaction("remove", 11))
    await ingest(rig.intake, reaction("add", 10))  # duplicate of the older add
    await ingest(rig.intake, WebhookEvent(event="poll.voted", message_id="p1", external_id=CHAT))
    stored = MessageRepository(rig.db.read()).get("out1")
    assert stored is not None and [(r.reaction, r.is_added) for r in stored.reactions] == [
        ("love", False)
    ]


async def test_react_and_mark_read_reach_the_server_and_the_store(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    inbound = sandbox.control("POST", "inbound", {"from": CHAT, "text": "ping"})
    await ingest(
        rig.intake,
        WebhookEvent(
            event="message.received",
            message_id=inbound["message_id"],
            external_id=CHAT,
            text="ping",
            sender=CHAT,
        ),
    )
    await rig.service.react(CHAT, inbound["message_id"], "like")
    stored = MessageRepository(rig.db.read()).get(inbound["message_id"])
    assert stored is not None and [
        (r.reaction, r.sender, r.is_added) for r in stored.reactions
    ] == [("like", None, True)]
    await rig.service.mark_read(CHAT)
    item = ChatRepository(rig.db.read()).get_item(CHAT)
    assert item is not None and item.unread_count == 0
    await rig.service.set_typing(CHAT, True)
    await rig.service.set_typing(CHAT, False)


async def test_a_webhook_that_beats_the_send_response_does_not_duplicate_the_message(
    sandbox: SandboxHandle, app_home: Path
) -> None:
    sandbox.control("PUT", "world", {"bot": False, "speed": 0.01})  # receipts come much later
    sandbox.set_faults(accept_then_timeout_rate=1.0, hang_s=3, methods=["POST"])
    db = Database.open(app_home / "data" / "race.sqlite3")
    bus = EventBus()
    async with BlooioClient(
        sandbox.api_key, sandbox.base_url, retry=FAST_RETRY, timeout=1.5
    ) as client:
        service = MessagingService(
            client, db, bus, sender=OutboxSender(client, db, bus, retry=FAST_RETRY)
        )
        await service.start()
        item = await service.send(CHAT, "who wins?")
        async with asyncio.timeout(5):
            while not (truth := sandbox.control("GET", "state")["messages"]):
                await asyncio.sleep(0.02)
        server_id = truth[0]["message_id"]
        # The server accepted it, the response is held back, and its webhook arrives first.
        await ingest(
            build_intake(db, bus),
            WebhookEvent(
                event="message.sent",
                message_id=server_id,
                external_id=CHAT,
                text="who wins?",
                sent_at=5,
            ),
        )
        sandbox.set_faults()
        await asyncio.wait_for(service.outbox.drain(), 10)  # the retry (same key) gets the replay
        await service.stop()
    [stored] = MessageRepository(db.read()).page(CHAT)
    [sent] = service.outbox_items()
    db.close()
    assert stored.message_id == sent.server_message_id == server_id
    assert stored.status is MessageStatus.SENT and stored.text == "who wins?"
    assert sandbox.counters()["sends_by_key"] == {item.idempotency_key: 1}


def sim_status(sandbox: SandboxHandle, message_id: str) -> str | None:
    """What the sandbox's world made of a message (REST status says "delivered" for read)."""
    messages = sandbox.control("GET", "state")["messages"]
    return next((m["sim_status"] for m in messages if m["message_id"] == message_id), None)


async def _send_that_fails_after_acceptance(rig: Rig, sandbox: SandboxHandle) -> tuple[str, str]:
    """Blooio accepts the send (202), then the recipient is unreachable: queued → failed."""
    sandbox.control("PUT", "world", {"unreachable": [CHAT]})
    first = await rig.service.send(CHAT, "are you there?")
    await asyncio.wait_for(rig.service.outbox.drain(), 10)
    [sent] = rig.service.outbox_items()
    assert sent.state is OutboxState.SENT and sent.server_message_id
    server_id = sent.server_message_id
    await wait_until(
        lambda: sim_status(sandbox, server_id) == "failed", what="the sandbox to fail the send"
    )
    return first.idempotency_key, server_id


async def _resend_and_check(
    rig: Rig, sandbox: SandboxHandle, first_key: str, failed_id: str
) -> str:
    """retry_message → a new send with a new key; the failed bubble is swapped for the new one."""
    sandbox.control("PUT", "world", {"unreachable": []})
    rig.changes.clear()
    item = await rig.service.retry_message(failed_id)
    assert item.idempotency_key != first_key and item.text == "are you there?"
    swap = next(c for c in rig.changes if c.removed_messages)
    assert swap.removed_messages == ((CHAT, failed_id),)
    assert swap.inserted_messages == ((CHAT, item.local_message_id),)
    assert rig.shown() == [item.local_message_id]
    with pytest.raises(ValidationError, match="already sent again"):
        await rig.service.resend(failed_id)  # a double click sends nothing more

    await asyncio.wait_for(rig.service.outbox.drain(), 10)
    resent = next(
        i for i in rig.service.outbox_items() if i.idempotency_key == item.idempotency_key
    )
    assert resent.state is OutboxState.SENT and resent.server_message_id
    counters = sandbox.counters()
    assert counters["sends_by_key"] == {first_key: 1, item.idempotency_key: 1}
    assert counters["messages_created"] == 2
    return resent.server_message_id


async def test_a_send_that_failed_after_acceptance_is_resent_as_a_new_message_via_webhooks(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    secrets: list[str] = []
    listener = WebhookListener(secret_provider=lambda: secrets, sink=rig.intake)
    hook = await rig.client.create_webhook(await listener.start())
    assert hook.signing_secret
    secrets.append(hook.signing_secret)
    try:
        first_key, failed_id = await _send_that_fails_after_acceptance(rig, sandbox)
        await wait_until(
            lambda: rig.stored(failed_id) is MessageStatus.FAILED, what="message.failed"
        )
        new_id = await _resend_and_check(rig, sandbox, first_key, failed_id)
        delivered = (MessageStatus.DELIVERED, MessageStatus.READ)
        await wait_until(lambda: rig.stored(new_id) in delivered, what="the resend to be delivered")
    finally:
        await rig.client.delete_webhook(hook.webhook_id)
        await listener.stop()
    # A later sync reports the failed message again: it merges into the hidden row, stays hidden.
    await SyncService(rig.client, rig.db, rig.bus).start()
    assert rig.shown() == [new_id]
    assert MessageRepository(rig.db.read()).superseded_by(failed_id) is not None


async def test_a_failure_learnt_from_sync_is_resent_the_same_way(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    first_key, failed_id = await _send_that_fails_after_acceptance(rig, sandbox)
    sync = SyncService(rig.client, rig.db, rig.bus)
    await sync.start()  # no webhooks at all: the failed status comes from the REST API
    assert rig.stored(failed_id) is MessageStatus.FAILED
    new_id = await _resend_and_check(rig, sandbox, first_key, failed_id)
    await wait_until(
        lambda: sim_status(sandbox, new_id) in ("delivered", "read"),
        what="the resend to be delivered",
    )
    await sync.backfill()
    assert rig.shown() == [new_id]
    assert rig.stored(new_id) is MessageStatus.DELIVERED
    assert rig.stored(failed_id) is MessageStatus.FAILED


async def test_retry_message_keeps_the_key_of_a_send_blooio_refused(
    rig: Rig, sandbox: SandboxHandle
) -> None:
    sandbox.set_faults(error_rate=1.0, error_statuses=[400], methods=["POST"])
    item = await rig.service.send(CHAT, "refused at first")
    await asyncio.wait_for(rig.service.outbox.drain(), 10)
    assert rig.stored(item.local_message_id) is MessageStatus.FAILED
    with pytest.raises(ValidationError, match="retry it instead"):
        await rig.service.resend(item.local_message_id)

    sandbox.set_faults()
    again = await rig.service.retry_message(item.local_message_id)
    assert again.idempotency_key == item.idempotency_key
    await asyncio.wait_for(rig.service.outbox.drain(), 10)
    [sent] = rig.service.outbox_items()
    assert sent.state is OutboxState.SENT and rig.shown() == [sent.server_message_id]
    assert sandbox.counters()["sends_by_key"] == {item.idempotency_key: 1}
    assert sent.server_message_id
    with pytest.raises(ValidationError, match="that failed"):
        await rig.service.retry_message(sent.server_message_id)  # nothing failed: nothing to do
