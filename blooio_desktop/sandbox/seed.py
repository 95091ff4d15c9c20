"""Demo data that looks real in a screenshot: ~20 contacts, 1:1 and named group chats, a few hundred
messages over the past weeks with reactions and attachments, on two sender numbers.

Generated from a fixed random seed, so every seeded sandbox has the same history (ids aside).
"""

from __future__ import annotations

import random

from blooio_desktop.sandbox.state import NUMBERS, MessageRec, SandboxState, new_id, now_ms

CONTACTS = (
    ("+14155550132", "Maya Chen"),
    ("+14155550178", "Jordan Alvarez"),
    ("+12125550143", "Sofia Rossi"),
    ("+13105550199", "Ethan Brooks"),  # ends in 9: SMS-only
    ("+16175550121", "Amara Nwosu"),
    ("+17735550164", "Liam O'Connor"),
    ("+12065550187", "Hannah Kim"),
    ("+15125550116", "Diego Morales"),
    ("+13035550139", "Olivia Bennett"),  # SMS-only
    ("+14045550152", "Noah Patel"),
    ("+16465550175", "Zoe Dubois"),
    ("+17025550108", "Marcus Johnson"),
    ("+19175550126", "Isabella Garcia"),
    ("+18585550147", "Lucas Meyer"),
    ("+15035550169", "Ava Thompson"),  # SMS-only
    ("+13125550183", "Ryan Walsh"),
    ("+14255550114", "Chloe Martin"),
    ("sam.taylor@icloud.com", "Sam Taylor"),
    ("nina.k@me.com", "Nina Kowalski"),
    ("+16505550130", None),
)
GROUPS = (
    ("Weekend Hike 🥾", (0, 2, 5, 6)),
    ("Family", (4, 9, 12)),
    ("Project Falcon", (1, 7, 10, 16, 17)),
)
CONVERSATIONS = (
    [
        ("in", "Hey! Are we still on for Thursday?"),
        ("out", "Yes! 7pm at the usual place?"),
        ("in", "Perfect, see you there"),
    ],
    [
        ("out", "Did you get the invoice I sent over?"),
        ("in", "Got it, paying today"),
        ("in", "Thanks for the reminder!"),
    ],
    [
        ("in", "Can you send me the photos from Saturday?"),
        ("out", "Sure, here's the best one"),
        ("in", "Haha love it"),
    ],
    [("out", "Running 10 min late, sorry!"), ("in", "No worries, grabbing a table")],
    [
        ("in", "Is the order ready for pickup?"),
        ("out", "Yes, it ships today."),
        ("in", "Amazing, thank you 🙏"),
    ],
    [("out", "Happy birthday!! 🎉"), ("in", "Aww thank you!! Miss you")],
    [
        ("in", "What time is the meeting tomorrow?"),
        ("out", "10:30, I'll send the agenda tonight"),
        ("in", "👍"),
    ],
    [
        ("out", "Want to try that new ramen place?"),
        ("in", "Yes please. Friday?"),
        ("out", "Friday works"),
    ],
)
GROUP_LINES = (
    "Who's bringing snacks?",
    "I can drive, have room for 3",
    "Forecast says sunny all weekend ☀️",
    "Dinner at mom's on Sunday?",
    "Pushed the latest build, please test",
    "Notes from today's sync attached",
    "Sounds good to me",
    "Can we move it to 9?",
)
ATTACHMENTS = (
    ("https://media.blooio.com/sandbox/invoice-4281.pdf", "invoice-4281.pdf"),
    ("https://media.blooio.com/sandbox/beach.jpg", "beach.jpg"),
    ("https://media.blooio.com/sandbox/trail-map.png", "trail-map.png"),
    ("https://media.blooio.com/sandbox/agenda.docx", "agenda.docx"),
)
SMS_ONLY = frozenset(("+13105550199", "+13035550139", "+15035550169"))
_DAY_MS = 86_400_000


def demo_state() -> SandboxState:
    rng = random.Random(2024)
    state = SandboxState()
    now = now_ms()
    for handle, name in CONTACTS:
        contact = state.ensure_contact(handle, name)
        contact.created_at = now - 40 * _DAY_MS
        contact.sms_only = handle in SMS_ONLY
    for index, (handle, _) in enumerate(CONTACTS):
        number = NUMBERS[index % 4 == 3]
        start = now - rng.randrange(1, 28) * _DAY_MS
        for round_ in range(rng.randrange(3, 7)):
            at = start + round_ * rng.randrange(_DAY_MS // 3, _DAY_MS * 2)
            for direction, text in rng.choice(CONVERSATIONS):
                at += rng.randrange(30_000, 900_000)
                if at < now:
                    _add(state, rng, handle, number, direction, text, at, None)
    for name, members in GROUPS:
        handles = [CONTACTS[i][0] for i in members]
        group = state.create_group(name, handles, f"iMessage;+;chat{new_id(length=12)}")
        group.created_at = now - 30 * _DAY_MS
        at = now - rng.randrange(5, 25) * _DAY_MS
        for _ in range(rng.randrange(25, 45)):
            at += rng.randrange(600_000, _DAY_MS // 2)
            if at >= now:
                break
            sender = rng.choice([None, *handles])
            _add(
                state,
                rng,
                group.group_id,
                NUMBERS[0],
                "out" if sender is None else "in",
                rng.choice(GROUP_LINES),
                at,
                sender,
            )
    return state


def _add(
    state: SandboxState,
    rng: random.Random,
    chat_id: str,
    number: str,
    direction: str,
    text: str,
    at: int,
    sender: str | None,
) -> None:
    outbound = direction == "out"
    m = MessageRec(
        message_id=new_id(),
        chat_id=chat_id,
        direction="outbound" if outbound else "inbound",
        internal_id=number,
        time_sent=at,
        status="delivered",
        protocol=state.protocol_for(chat_id),
        text=text,
        sender=sender,
        time_delivered=at + 1200,
        time_read=at + 60_000 if outbound and state.protocol_for(chat_id) == "imessage" else None,
    )
    if m.time_read is not None:
        m.status = "read"
    if rng.random() < 0.07:
        url, name = rng.choice(ATTACHMENTS)
        m.attachments.append({"url": url, "name": name})
    if rng.random() < 0.12:
        reactor = (
            None
            if not outbound
            else (sender or (chat_id if not chat_id.startswith("grp_") else None))
        )
        m.reactions.append(
            {
                "reaction": rng.choice(("love", "like", "laugh", "emphasize")),
                "is_added": True,
                "time_sent": at + 90_000,
                "sender": reactor,
            }
        )
    state.add_message(m)
