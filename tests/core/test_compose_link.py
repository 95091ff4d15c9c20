"""Links a browser or another app hands over: whom to write to and what, or a specific error."""

from __future__ import annotations

import pytest

from blooio_desktop.core.compose_link import ComposeLink, parse_compose_link
from blooio_desktop.core.errors import ValidationError


@pytest.mark.parametrize(
    ("link", "expected"),
    [
        ("sms:+15551234567", ComposeLink(("+15551234567",))),
        ("SMS://+1 (555) 123-4567", ComposeLink(("+15551234567",))),
        ("sms:%2B15551234567?body=See%20you%20at%208", ComposeLink(("+15551234567",), "See you at 8")),
        ("sms:+15551234567&body=Hi%21", ComposeLink(("+15551234567",), "Hi!")),  # iOS
        ("smsto:+15551234567:On my way", ComposeLink(("+15551234567",), "On my way")),  # Android
        ("imessage:Ada@Example.com", ComposeLink(("ada@example.com",))),
        (
            "sms:+15551234567,+15557654321,+15551234567?body=Team",
            ComposeLink(("+15551234567", "+15557654321"), "Team"),
        ),
        ("sms:+15551234567?body=%20", ComposeLink(("+15551234567",))),
    ],
)
def test_links_in_every_common_form_are_understood(link: str, expected: ComposeLink) -> None:
    assert parse_compose_link(link) == expected


def test_a_group_link_opens_the_comma_joined_chat() -> None:
    assert parse_compose_link("sms:+15551234567,+15557654321").chat_id == "+15551234567,+15557654321"


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("tel:+15551234567", "opens sms:, smsto: and imessage: links"),
        ("+15551234567", "opens sms:, smsto: and imessage: links"),
        ("sms:?body=hello", "does not say whom to write to"),
        ("sms:5551234567", "needs a country code"),
        ("imessage:not-an-email@", "is not a valid email address"),
    ],
)
def test_a_bad_link_says_what_is_wrong(link: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_compose_link(link)
    assert message in info.value.message
