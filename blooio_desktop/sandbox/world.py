"""The simulated world: outbound messages progress queued → sent → delivered → read, contacts reply.

Timing at speed 1 (every delay is divided by `speed`): sent ≈0.4 s after queued, delivered ≈0.8 s
later, read ≈2 s later (iMessage 1:1 chats with read receipts on). The bot answers every 1:1 text
≈1.5 s after it was sent and tapbacks messages with "!" (love), "haha"/"lol" (laugh) or "thank" (like).
Every change emits the matching webhook through `WebhookDelivery`.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from blooio_desktop.sandbox import bot, wire
from blooio_desktop.sandbox.delivery import WebhookDelivery
from blooio_desktop.sandbox.http import ApiFailure
from blooio_desktop.sandbox.state import NUMBERS, MessageRec, SandboxState, new_id, now_ms

SENT_AFTER_S, DELIVERED_AFTER_S, READ_AFTER_S, REPLY_AFTER_S = 0.4, 0.8, 2.0, 1.5
AMBIENT_EVERY_S = 90.0


@dataclass
class WorldSettings:
    speed: float = 1.0
    bot: bool = True
    read_receipts: bool = True
    ambient: bool = False  # occasionally a new contact starts a chat
    unreachable: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "speed": self.speed,
            "bot": self.bot,
            "read_receipts": self.read_receipts,
            "ambient": self.ambient,
            "unreachable": list(self.unreachable),
        }

    def update(self, data: dict[str, Any]) -> None:
        """Apply a PUT /_sandbox/world body; only the given keys change."""
        for key, value in data.items():
            if key == "speed":
                if not isinstance(value, int | float) or value <= 0:
                    raise ApiFailure(400, "'speed' must be a number greater than 0.")
                self.speed = float(value)
            elif key in ("bot", "read_receipts", "ambient"):
                if not isinstance(value, bool):
                    raise ApiFailure(400, f"'{key}' must be true or false.")
                setattr(self, key, value)
            elif key == "unreachable":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ApiFailure(
                        400, "'unreachable' must be a list of phone numbers or emails."
                    )
                self.unreachable = list(value)
            else:
                raise ApiFailure(400, f"Unknown world setting '{key}'.")


class World:
    def __init__(
        self,
        state: Callable[[], SandboxState],
        delivery: WebhookDelivery,
        settings: WorldSettings,
        on_change: Callable[[], None],
    ) -> None:
        self._state = state
        self._delivery = delivery
        self.settings = settings
        self._on_change = on_change
        self._tasks: set[asyncio.Task[None]] = set()
        self._rng = random.Random(7)

    # -- task ownership -------------------------------------------------------------------------
    def spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds / self.settings.speed)

    def reset(self, settings: WorldSettings) -> None:
        """Forget every pending step and start over with `settings` (must run on the loop)."""
        self._cancel_all()
        self.settings = settings
        self.spawn(self._ambient())

    async def stop(self) -> None:
        tasks = list(self._tasks)
        self._cancel_all()
        await asyncio.gather(*tasks, return_exceptions=True)

    def _cancel_all(self) -> None:
        for task in list(self._tasks):
            task.cancel()

    # -- outbound -------------------------------------------------------------------------------
    def outbound(self, messages: list[MessageRec]) -> None:
        """Start the life of freshly queued outbound messages, and the bot's answer to them."""
        for m in messages:
            self.spawn(self._progress(m))
        last = messages[-1]
        if self.settings.bot and not last.chat_id.startswith("grp_") and last.text:
            self.spawn(self._bot_answer(last))

    async def _progress(self, m: MessageRec) -> None:
        await self.sleep(SENT_AFTER_S)
        if m.chat_id in self.settings.unreachable:
            m.status, m.error = "failed", "Recipient is unreachable"
            self._emit(wire.status_payload(self._state(), m))
            return
        m.status = "sent"
        self._emit(wire.status_payload(self._state(), m))
        await self.sleep(DELIVERED_AFTER_S)
        m.status, m.time_delivered = "delivered", now_ms()
        self._emit(wire.status_payload(self._state(), m))
        if (
            m.protocol == "imessage"
            and not m.chat_id.startswith("grp_")
            and self.settings.read_receipts
        ):
            await self.sleep(READ_AFTER_S)
            self.mark_read(m)

    async def _bot_answer(self, ours: MessageRec) -> None:
        await self.sleep(REPLY_AFTER_S)
        if ours.status == "failed":
            return
        tapback = bot.tapback_for(ours.text or "")
        if tapback:
            self.react(ours, tapback, ours.chat_id, "add")
        self.inbound(ours.chat_id, bot.reply_to(ours.text or ""), to=ours.internal_id)

    def mark_read(self, m: MessageRec) -> None:
        if m.direction != "outbound" or m.status in ("read", "failed"):
            return
        m.status, m.time_read = "read", now_ms()
        m.time_delivered = m.time_delivered or m.time_read
        self._emit(wire.status_payload(self._state(), m))

    # -- inbound --------------------------------------------------------------------------------
    def inbound(
        self,
        sender: str,
        text: str | None,
        attachments: list[dict[str, str]] | None = None,
        to: str | None = None,
        group_id: str | None = None,
    ) -> MessageRec:
        """A contact writes to us (1:1, or inside `group_id`); emits `message.received`."""
        state = self._state()
        state.ensure_contact(sender)
        chat_id = group_id or sender
        if group_id is not None:
            group = state.group(group_id)
            if group is None:
                raise ApiFailure(404, f"Group '{group_id}' not found.")
            group.members.setdefault(sender, now_ms())
        at = state.next_message_time()
        m = state.add_message(
            MessageRec(
                message_id=new_id(),
                chat_id=chat_id,
                direction="inbound",
                internal_id=to or self._our_number(chat_id),
                time_sent=at,
                status="delivered",
                protocol=state.protocol_for(chat_id),
                text=text,
                attachments=attachments or [],
                sender=sender if group_id else None,
                time_delivered=at,
            )
        )
        self._emit(wire.received_payload(state, m))
        return m

    def react(self, m: MessageRec, reaction: str, sender: str, action: str) -> None:
        """A contact adds/removes a tapback on a message; emits `message.reaction`."""
        m.reactions.append(
            {
                "reaction": reaction,
                "is_added": action == "add",
                "time_sent": now_ms(),
                "sender": sender,
            }
        )
        self._emit(wire.reaction_payload(self._state(), m, reaction, action, sender, "inbound"))

    def _our_number(self, chat_id: str) -> str:
        msgs = self._state().chat_messages(chat_id)
        return msgs[-1].internal_id if msgs else NUMBERS[0]

    async def _ambient(self) -> None:
        while True:
            await self.sleep(AMBIENT_EVERY_S * (0.5 + self._rng.random()))
            if self.settings.ambient:
                handle = f"+1555{self._rng.randrange(1000000, 9999999)}"
                self._state().ensure_contact(handle, self._rng.choice(bot.STRANGER_NAMES))
                self.inbound(handle, self._rng.choice(bot.OPENERS))

    def _emit(self, payload: dict[str, Any]) -> None:
        self._on_change()
        self._delivery.emit(payload)
