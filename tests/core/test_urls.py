"""URLs from users and config files: accepted when usable, otherwise a message that says why."""

from __future__ import annotations

import pytest

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.urls import normalize_base_url, validate_http_url


def test_good_urls_pass_and_base_urls_lose_the_trailing_slash() -> None:
    assert validate_http_url(" https://example.com/a.jpg ") == "https://example.com/a.jpg"
    assert normalize_base_url("http://127.0.0.1:8080/v2/api/") == "http://127.0.0.1:8080/v2/api"


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("", "empty"),
        (None, "empty"),
        ("example.com/a", "http:// or https://"),
        ("ftp://example.com/a", "http:// or https://"),
        ("https:///path", "no host"),
        ("https://exa mple.com", "spaces"),
        ("http://host:99999999/", "not a valid URL"),
    ],
)
def test_bad_urls_say_what_is_wrong(url: object, fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        validate_http_url(url)


def test_base_url_rejects_query_strings() -> None:
    with pytest.raises(ValidationError, match="query"):
        normalize_base_url("https://backend.blooio.com/v2/api?x=1")
