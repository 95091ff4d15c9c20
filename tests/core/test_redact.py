"""Secrets are masked in any text and in every log record, including tracebacks."""

from __future__ import annotations

import io
import logging

import pytest

from blooio_desktop.core.redact import SecretFilter, redact


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def-123", "Authorization: Bearer ***"),
        ("secret is whsec_9f8e7d6c5b4a", "secret is whsec_***"),
        ("key=bl_live_AbC123xyz, next", "key=bl_live_***, next"),
        ("export BLOOIO_API_KEY=sk_live_your_key_here", "export BLOOIO_API_KEY=sk_live_***"),
        ("nothing to hide here", "nothing to hide here"),
    ],
)
def test_credential_shaped_tokens_are_masked(text: str, expected: str) -> None:
    assert redact(text) == expected


def test_registered_secrets_are_masked_longest_first_and_tiny_ones_ignored() -> None:
    text = "token=abcdef123456 prefix=abcdef a=b"
    assert redact(text, ["abcdef", "abcdef123456", "a", ""]) == "token=*** prefix=*** a=b"


def make_logger(filter_: SecretFilter) -> tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(filter_)
    logger = logging.getLogger(f"test.redact.{id(stream)}")
    logger.propagate = False
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    return logger, stream


def test_filter_masks_arguments_tracebacks_and_later_registered_secrets() -> None:
    secrets = SecretFilter(["ngrok-token-123456"])
    logger, stream = make_logger(secrets)
    logger.info("tunnel with %s", "ngrok-token-123456")
    secrets.add("my-plain-api-key")
    try:
        raise RuntimeError("failed with my-plain-api-key and Bearer zzz")
    except RuntimeError:
        logger.exception("request failed for %s", "my-plain-api-key")
    logger.warning("header Bearer qqq and whsec_abcdef123")
    output = stream.getvalue()
    for leaked in ("ngrok-token-123456", "my-plain-api-key", "zzz", "qqq", "abcdef123"):
        assert leaked not in output
    assert output.count("***") >= 5 and "RuntimeError" in output


def test_filter_never_drops_records_even_with_a_broken_format() -> None:
    logger, stream = make_logger(SecretFilter())
    logger.info("two args %s %s", "only-one")  # logging reports the bad format itself
    logger.info("still logging")
    assert "still logging" in stream.getvalue()
