"""Lenient JSON readers: the wrong type reads as missing, and nothing a payload carries raises."""

from __future__ import annotations

import math

import pytest

from blooio_desktop.core.lenient import as_int, as_str


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (42, 42),
        (-7, -7),
        (12.9, 12),
        ("1735689601474", 1735689601474),
        (" -3 ", -3),
        ("1.5e3", 1500),
        (True, None),
        (None, None),
        ("", None),
        ("twelve", None),
        ([1], None),
        (math.nan, None),
        (math.inf, None),
        ("NaN", None),
        ("1e400", None),
        (1e300, None),
    ],
)
def test_as_int(value: object, expected: int | None) -> None:
    assert as_int(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("abc", "abc"), ("", ""), (12, "12"), (1.5, "1.5"), (False, None), (None, None), ({}, None)],
)
def test_as_str(value: object, expected: str | None) -> None:
    assert as_str(value) == expected


def test_half_an_emoji_becomes_a_replacement_character_and_the_text_survives() -> None:
    assert as_str("\ud83dcut emoji") == "\ufffdcut emoji"
    assert as_str("whole \U0001f600 emoji") == "whole \U0001f600 emoji"
