"""Messaging use cases: send (via the outbox), retry/discard, react, read, typing.

A send is persisted — outbox row with its Idempotency-Key plus an optimistic message
`local:<key>` shown at once — before any HTTP request. When the server answers, the local row is
replaced by the server id in place: one `Changes` with `removed_messages=[(chat, "local:<key>")]` and
`inserted_messages=[(chat, server_id)]`, both with the same sort key, so a view can swap the row.

Trying a failed message again (`retry_message`) takes one of two paths. Blooio refused the request
(outbox item FAILED): `retry` sends the same item with the same key. Blooio accepted it and the
message failed later (`message.failed`, or a failed status from sync): `resend` makes a NEW send with a
new key, and hides the failed message (`Changes`: old removed, new optimistic message inserted).
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from collections.abc import Callable, Sequence

from blooio_desktop.api.client import BlooioClient
from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.events import Changes
from blooio_desktop.core.identifiers import normalize_chat_id
from blooio_desktop.core.models import (
    Attachment,
    Direction,
    Message,
    OutboxItem,
    OutboxState,
    Reaction,
    ReplyTo,
)
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.services.bus import EventBus
from blooio_desktop.services.outbox import OutboxSender
from blooio_desktop.store import ChatRepository, Database, MessageRepository, OutboxRepository

LOCAL_PREFIX = "local:"


class MessagingService:
    def __init__(
        self,
        client: BlooioClient,
        db: Database,
        bus: EventBus,
        *,
        sender: OutboxSender | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self._db = db
        self._bus = bus
        self._clock = clock
        self.outbox = sender or OutboxSender(client, db, bus, clock=clock)

    async def start(self) -> None:
        await self.outbox.start()

    async def stop(self) -> None:
        await self.outbox.stop()

    # --- sending ----------------------------------------------------------------------------------

    async def send(
        self,
        chat_id: str,
        text: str | None,
        attachments: Sequence[str | Attachment] = (),
        from_number: str | None = None,
        reply_to: str | None = None,
    ) -> OutboxItem:
        """Persist the send and its optimistic message, then wake the sender. Returns the outbox item."""
        chat = normalize_chat_id(chat_id)
        files = tuple(a if isinstance(a, Attachment) else Attachment(url=a) for a in attachments)
        body = text if text and text.strip() else None
        if body is None and not files:
            raise ValidationError("Type a message or attach a link.", field="text")
        item = self._new_item(chat, body, files, from_number, reply_to)
        self._publish(await self._db.write(lambda conn: _enqueue(conn, item)))
        self.outbox.wake()
        return item

    async def retry_message(self, message_id: str) -> OutboxItem:
        """The one "try again" of a failed message bubble: `retry` while Blooio never accepted it
        (its outbox item failed or waits), else `resend`. Returns the item that will send it."""
        item = OutboxRepository(self._db.read()).for_message(message_id)
        if item is not None and item.state is not OutboxState.SENT:
            return await self.retry(item.idempotency_key)
        return await self.resend(message_id)

    async def retry(self, key: str, text: str | None = None) -> OutboxItem:
        """Send a failed (or waiting) outbox item again now, optionally edited; it keeps its key.

        Keeping the key is safe here, and needed: an item is FAILED only when Blooio refused the
        request (400, 401/403, quota), so either nothing exists under that key yet and this attempt
        creates the message once, or an earlier attempt was accepted but its answer was lost — then
        Blooio answers the same key with that message instead of sending a second one. (A message
        Blooio accepted and that failed afterwards needs `resend`: its key would only replay it.)
        """

        def write(conn: sqlite3.Connection) -> tuple[OutboxItem, Changes]:
            outbox = OutboxRepository(conn)
            item = _editable(outbox.get(key), "retry")
            changes = outbox.reopen(key, text)
            messages = MessageRepository(conn)
            local = messages.get(item.local_message_id)
            if local is not None:
                edited = Message(
                    message_id=local.message_id,
                    chat_id=local.chat_id,
                    direction=local.direction,
                    text=text if text is not None else local.text,
                    status=MessageStatus.PENDING,
                )
                changes = changes.merge(messages.upsert([edited], is_local=True, retried=True))
            reopened = outbox.get(key)
            assert reopened is not None
            return reopened, changes

        item, changes = await self._db.write(write)
        self._publish(changes)
        self.outbox.wake()
        return item

    async def resend(self, message_id: str) -> OutboxItem:
        """Send again a message Blooio accepted and that then failed, as a NEW send (new key).

        Its old key would make Blooio return the original failed message and send nothing. The same
        chat, text, attachments, sending number and reply target go out under a new key with a new
        optimistic message; the failed one is marked superseded: hidden, but kept so late receipts
        and backfill merge into it instead of bringing it back.
        """

        def write(conn: sqlite3.Connection) -> tuple[OutboxItem, Changes]:
            messages = MessageRepository(conn)
            failed = _resendable(messages.get(message_id), messages.superseded_by(message_id))
            sent = OutboxRepository(conn).for_message(message_id)
            if sent is not None and sent.state is not OutboxState.SENT:
                raise ValidationError(
                    "Blooio has not accepted that message yet: retry it instead of sending it again."
                )
            if sent is not None:  # exactly what the user sent, default sending number included
                item = self._new_item(
                    sent.chat_id, sent.text, sent.attachments, sent.from_number, sent.reply_to
                )
            else:  # sent from elsewhere, or its outbox item was cleared: the stored message
                reply = failed.reply_to.message_id if failed.reply_to else None
                item = self._new_item(
                    failed.chat_id, failed.text, failed.attachments, failed.internal_id, reply
                )
            superseded = messages.supersede(message_id, item.idempotency_key)
            return item, superseded.merge(_enqueue(conn, item))

        item, changes = await self._db.write(write)
        self._publish(changes)
        self.outbox.wake()
        return item

    async def discard(self, key: str) -> None:
        """Drop an unsent item and its optimistic message (a sent one only leaves the outbox)."""

        def write(conn: sqlite3.Connection) -> Changes:
            outbox = OutboxRepository(conn)
            item = outbox.get(key)
            if item is None:
                return Changes()
            if item.state is OutboxState.SENT:
                return outbox.remove(key)
            _editable(item, "discard")
            return outbox.remove(key).merge(MessageRepository(conn).delete(item.local_message_id))

        self._publish(await self._db.write(write))

    def outbox_items(self) -> list[OutboxItem]:
        """Everything in the outbox (state, attempts, next retry, key) for the outbox view."""
        return OutboxRepository(self._db.read()).items()

    # --- other actions ----------------------------------------------------------------------------

    async def react(self, chat_id: str, message_id: str, reaction: str, add: bool = True) -> None:
        result = await self._client.react(chat_id, message_id, reaction, add=add)
        mine = Reaction(result.reaction, None, add, int(self._clock() * 1000))
        target = result.message_id or message_id
        self._publish(
            await self._db.write(
                lambda conn: MessageRepository(conn).apply_reaction(target, chat_id, mine)
            )
        )

    async def mark_read(self, chat_id: str) -> None:
        """Clear the unread count at once, then send the read receipt."""
        self._publish(await self._db.write(lambda conn: ChatRepository(conn).mark_read(chat_id)))
        await self._client.mark_read(chat_id)

    async def set_pinned(self, chat_id: str, pinned: bool) -> None:
        self._publish(await self._db.write(lambda c: ChatRepository(c).set_pinned(chat_id, pinned)))

    async def set_draft(self, chat_id: str, draft: str | None) -> None:
        self._publish(await self._db.write(lambda c: ChatRepository(c).set_draft(chat_id, draft)))

    async def set_from_number(self, chat_id: str, number: str | None) -> None:
        """The number this chat sends from (None = the account's default)."""
        self._publish(
            await self._db.write(lambda c: ChatRepository(c).set_from_number(chat_id, number))
        )

    async def set_typing(self, chat_id: str, typing: bool) -> None:
        if typing:
            await self._client.start_typing(chat_id)
        else:
            await self._client.stop_typing(chat_id)

    def _new_item(
        self,
        chat_id: str,
        text: str | None,
        attachments: tuple[Attachment, ...],
        from_number: str | None,
        reply_to: str | None,
    ) -> OutboxItem:
        key = str(uuid.uuid4())
        return OutboxItem(
            idempotency_key=key,
            chat_id=chat_id,
            text=text,
            attachments=attachments,
            from_number=from_number,
            reply_to=reply_to,
            created_at=self._clock(),
            local_message_id=LOCAL_PREFIX + key,
        )

    def _publish(self, changes: Changes) -> None:
        if not changes.empty:
            self._bus.publish(changes)


def _enqueue(conn: sqlite3.Connection, item: OutboxItem) -> Changes:
    """Store a new send and the optimistic message shown for it until the server answers."""
    optimistic = Message(
        message_id=item.local_message_id,
        chat_id=item.chat_id,
        direction=Direction.OUTBOUND,
        text=item.text,
        attachments=item.attachments,
        time_sent=int(item.created_at * 1000),
        status=MessageStatus.PENDING,
        internal_id=item.from_number,
        reply_to=ReplyTo(message_id=item.reply_to) if item.reply_to else None,
    )
    changes = OutboxRepository(conn).add(item)
    return changes.merge(MessageRepository(conn).upsert([optimistic], is_local=True))


def _resendable(message: Message | None, superseded_by: str | None) -> Message:
    if message is None:
        raise ValidationError("That message is no longer stored, so it cannot be sent again.")
    if superseded_by is not None:
        raise ValidationError("That message was already sent again.")
    if message.direction is not Direction.OUTBOUND or message.status is not MessageStatus.FAILED:
        raise ValidationError("Only a message you sent that failed can be sent again.")
    if message.text is None and not message.attachments:
        raise ValidationError("That message has no text or attachment to send again.")
    return message


def _editable(item: OutboxItem | None, action: str) -> OutboxItem:
    if item is None:
        raise ValidationError("That message is no longer in the outbox.")
    if item.state is OutboxState.SENDING:
        raise ValidationError(
            f"That message is being sent right now; wait a moment before you {action} it."
        )
    if item.state is OutboxState.SENT:
        raise ValidationError("That message was already sent.")
    return item
