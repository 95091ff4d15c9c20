"""Human-friendly text for times, days and sizes, shared by the chat list, thread and composer."""

from __future__ import annotations

from datetime import datetime, timedelta

TAPBACK_EMOJI: dict[str, str] = {
    "love": "❤️",
    "like": "👍",
    "dislike": "👎",
    "laugh": "😂",
    "emphasize": "‼️",
    "question": "❓",
}


def to_local(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000)


def relative_time(ms: int | None, now: datetime | None = None) -> str:
    """Chat-list time: "14:05" today, "Yesterday", a weekday within a week, else a short date."""
    if not ms:
        return ""
    now = now or datetime.now()
    when = to_local(ms)
    days = (now.date() - when.date()).days
    if days <= 0:
        return when.strftime("%H:%M")
    if days == 1:
        return "Yesterday"
    if days < 7:
        return when.strftime("%A")
    if when.year == now.year:
        return f"{when.day} {when.strftime('%b')}"
    return when.strftime("%d/%m/%Y")


def day_label(ms: int | None, now: datetime | None = None) -> str:
    """Thread day separator: "Today", "Yesterday", or "Monday 1 December"."""
    if not ms:
        return ""
    now = now or datetime.now()
    when = to_local(ms)
    days = (now.date() - when.date()).days
    if days == 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    text = f"{when.strftime('%A')} {when.day} {when.strftime('%B')}"
    return text if when.year == now.year else f"{text} {when.year}"


def clock(ms: int | None) -> str:
    return to_local(ms).strftime("%H:%M") if ms else ""


def same_day(a: int | None, b: int | None) -> bool:
    if not a or not b:
        return a == b
    return to_local(a).date() == to_local(b).date()


def within(a: int | None, b: int | None, gap: timedelta) -> bool:
    """Whether two millisecond timestamps are closer than `gap` (unknown times count as close)."""
    if not a or not b:
        return True
    return abs(a - b) < gap.total_seconds() * 1000


def human_size(size: int | None) -> str:
    if size is None:
        return ""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def reaction_glyph(reaction: str) -> str:
    """The emoji for a tapback name; a custom emoji reaction is already its own glyph."""
    return TAPBACK_EMOJI.get(reaction.lower(), reaction)
