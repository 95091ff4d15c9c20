"""The documented t=,v1= scheme and the legacy body-only scheme, verified before parsing."""

import pytest

from blooio_desktop.core.errors import SignatureError
from blooio_desktop.webhook.signature import Verdict, compute_signature, sign, sign_legacy, verify

SECRET = "whsec_test_secret"
BODY = b'{"event":"message.received","message_id":"m1"}'


def test_valid_signature_verifies() -> None:
    assert verify(SECRET, sign(SECRET, BODY, timestamp=1000), BODY, now=1000) == Verdict.VALID


def test_several_v1_values_and_unknown_pairs_are_accepted() -> None:
    good = compute_signature(SECRET, 1000, BODY)
    header = f"t=1000,k=ignored,v1={'0' * 64},v1={good}"
    assert verify(SECRET, header, BODY, now=1000) == Verdict.VALID


@pytest.mark.parametrize(
    ("header", "verdict"),
    [
        (None, Verdict.MISSING),
        ("t=abc,v1=00", Verdict.MALFORMED),
        ("t=1000", Verdict.MALFORMED),
        (f"t=1000,v1={'0' * 64}", Verdict.INVALID),
    ],
)
def test_rejections_say_why(header: str | None, verdict: Verdict) -> None:
    with pytest.raises(SignatureError) as info:
        verify(SECRET, header, BODY, now=1000)
    assert info.value.verdict == verdict


def test_stale_and_future_timestamps_are_rejected() -> None:
    for now in (1000 + 301, 1000 - 301):
        with pytest.raises(SignatureError) as info:
            verify(SECRET, sign(SECRET, BODY, timestamp=1000), BODY, now=now)
        assert info.value.verdict == Verdict.STALE


def test_tampered_body_is_invalid() -> None:
    with pytest.raises(SignatureError) as info:
        verify(SECRET, sign(SECRET, BODY, timestamp=1000), BODY + b" ", now=1000)
    assert info.value.verdict == Verdict.INVALID


def test_legacy_scheme_only_when_allowed() -> None:
    legacy = sign_legacy(SECRET, BODY)
    assert verify(SECRET, legacy, BODY, allow_legacy=True) == Verdict.LEGACY
    with pytest.raises(SignatureError):
        verify(SECRET, legacy, BODY, allow_legacy=False)


def test_non_ascii_signatures_are_simply_invalid() -> None:
    with pytest.raises(SignatureError) as info:
        verify(SECRET, "t=1000,v1=\u00e9\u00e9", BODY, now=1000)
    assert info.value.verdict == Verdict.INVALID
    with pytest.raises(SignatureError):
        verify(SECRET, "\u00ff\u00ff", BODY, allow_legacy=True)
