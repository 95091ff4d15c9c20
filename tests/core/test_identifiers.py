"""What a person types as a recipient becomes a valid chat id, or a specific error."""

import pytest

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.identifiers import encode_path, normalize_chat_id, normalize_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("+1 (555) 123-4567", "+15551234567"), ("0044 20 7946 0958", "+442079460958")],
)
def test_phone_numbers_normalise_to_e164(raw: str, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [("5551234567", "country code"), ("+1555abc", "not digits"), ("+12", "too short"),
     ("+1234567890123456", "too long"), ("", "Enter a phone")],
)
def test_bad_numbers_get_specific_errors(raw: str, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        normalize_phone(raw)


def test_chat_ids_cover_groups_emails_and_lists() -> None:
    assert normalize_chat_id("grp_abc123") == "grp_abc123"
    assert normalize_chat_id("Jane@Example.com") == "jane@example.com"
    assert normalize_chat_id("+15551112222, +15553334444") == "+15551112222,+15553334444"


def test_path_encoding_escapes_everything() -> None:
    assert encode_path("+15551234567") == "%2B15551234567"
    assert encode_path("a@b.co,+1") == "a%40b.co%2C%2B1"
