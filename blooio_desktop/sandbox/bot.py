"""The small reply bot behind simulated contacts: short plausible answers, deterministic per text."""

from __future__ import annotations

import zlib

_QUESTION_REPLIES = (
    "Good question — let me check and get back to you.",
    "Yes, that works for me.",
    "Hmm, not sure yet. Tomorrow?",
    "I think so! Will confirm tonight.",
)
_REPLIES = (
    "Sounds good 👍",
    "Got it, thanks!",
    "Perfect, see you then.",
    "Haha nice",
    "Ok! On my way soon.",
    "Sure thing.",
    "Love it",
    "Makes sense, thanks for the heads up.",
)
STRANGER_NAMES = ("Priya Raman", "Tom Becker", "Lucía Fernández", "Kenji Watanabe", "Grace Okafor")
OPENERS = (
    "Hi! Is this still the best number to reach you?",
    "Hey, got your number from Sam — quick question about the order.",
    "Hello, are you open this Saturday?",
)


def _pick(options: tuple[str, ...], text: str) -> str:
    return options[zlib.crc32(text.encode()) % len(options)]


def reply_to(text: str) -> str:
    """What the contact answers to `text` (stable for the same text, so tests can rely on it)."""
    return _pick(_QUESTION_REPLIES if text.rstrip().endswith("?") else _REPLIES, text)


def tapback_for(text: str) -> str | None:
    """Tapback the contact puts on our message before answering, if any."""
    lowered = text.lower()
    if "haha" in lowered or "lol" in lowered:
        return "laugh"
    if "thank" in lowered:
        return "like"
    if "!" in text:
        return "love"
    return None
