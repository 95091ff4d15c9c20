"""Times, day separators, sizes and tapback glyphs as the chat list and thread show them."""

from __future__ import annotations

from datetime import datetime

from blooio_desktop.ui.formatting import day_label, human_size, reaction_glyph, relative_time

NOW = datetime(2026, 12, 2, 15, 0)


def ms(*args: int) -> int:
    return int(datetime(*args).timestamp() * 1000)  # type: ignore[misc]


def test_relative_time() -> None:
    assert relative_time(ms(2026, 12, 2, 9, 5), NOW) == "09:05"
    assert relative_time(ms(2026, 12, 1, 23, 0), NOW) == "Yesterday"
    assert relative_time(ms(2026, 11, 28, 12, 0), NOW) == "Saturday"
    assert relative_time(ms(2026, 3, 4, 12, 0), NOW) == "4 Mar"
    assert relative_time(ms(2024, 3, 4, 12, 0), NOW) == "04/03/2024"
    assert relative_time(None, NOW) == ""


def test_day_labels() -> None:
    assert day_label(ms(2026, 12, 2, 1, 0), NOW) == "Today"
    assert day_label(ms(2026, 12, 1, 1, 0), NOW) == "Yesterday"
    assert day_label(ms(2026, 11, 23, 1, 0), NOW) == "Monday 23 November"
    assert day_label(ms(2025, 11, 23, 1, 0), NOW) == "Sunday 23 November 2025"


def test_sizes_and_glyphs() -> None:
    assert human_size(512) == "512 B"
    assert human_size(2048) == "2.0 KB"
    assert human_size(17 * 1024 * 1024) == "17.0 MB"
    assert reaction_glyph("love") == "❤️"
    assert reaction_glyph("🎉") == "🎉"
