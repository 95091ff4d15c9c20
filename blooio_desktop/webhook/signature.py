"""Blooio webhook signatures (blooio-api.md §10.5), shared by the listener, the sandbox and `trigger`.

Scheme: `X-Blooio-Signature: t=<unix seconds>,v1=<hex>` where hex is HMAC-SHA256 over
`"{t}.{raw body}"` keyed with the whole `whsec_…` secret. The legacy body-only scheme from Blooio's
Python guide (hex HMAC of the body as the whole header) has no timestamp, so no replay protection.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from blooio_desktop.core.errors import SignatureError

SIGNATURE_HEADER = "X-Blooio-Signature"
DEFAULT_TOLERANCE_S = 300
_MAX_HEADER_LEN = 4096


class Verdict(StrEnum):
    """What the inspector shows for each delivery."""

    VALID = "valid"
    LEGACY = "legacy-scheme"
    INVALID = "invalid"
    STALE = "stale"
    MISSING = "missing"
    MALFORMED = "malformed"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"  # never reached verification: wrong path, method, type or size


def compute_signature(secret: str, timestamp: int | str, body: bytes) -> str:
    signed = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode("utf-8"), signed, hashlib.sha256).hexdigest()


def _same(expected: str, given: str) -> bool:
    """Constant-time compare that also copes with non-ASCII input (compare_digest rejects it on str)."""
    return hmac.compare_digest(expected.encode(), given.encode("utf-8", "replace"))


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """The header value Blooio would send for `body` at `timestamp` (now by default)."""
    t = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={t},v1={compute_signature(secret, t, body)}"


def sign_legacy(secret: str, body: bytes) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ParsedHeader:
    timestamp: str
    signatures: tuple[str, ...]


def parse_header(value: str) -> ParsedHeader:
    """Parse `t=…,v1=…[,v1=…]`; unknown `k=v` pairs are ignored. Raises SignatureError(MALFORMED)."""
    if len(value) > _MAX_HEADER_LEN:
        raise SignatureError("signature header is too long", verdict=Verdict.MALFORMED)
    timestamp: str | None = None
    sigs: list[str] = []
    for part in value.split(","):
        key, sep, val = part.strip().partition("=")
        if not sep:
            continue
        key, val = key.strip(), val.strip()
        if key == "t":
            timestamp = val
        elif key == "v1" and val:
            sigs.append(val.lower())
    if timestamp is None or not timestamp.isdigit():
        raise SignatureError(
            "signature header has no valid t= timestamp", verdict=Verdict.MALFORMED
        )
    if not sigs:
        raise SignatureError("signature header has no v1= signature", verdict=Verdict.MALFORMED)
    return ParsedHeader(timestamp=timestamp, signatures=tuple(sigs))


def verify(
    secret: str,
    header: str | None,
    body: bytes,
    *,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    allow_legacy: bool = False,
    now: float | None = None,
) -> Verdict:
    """Return VALID or LEGACY, or raise SignatureError whose `verdict` says why it was rejected."""
    if not header or not header.strip():
        raise SignatureError("missing X-Blooio-Signature header", verdict=Verdict.MISSING)
    header = header.strip()
    if "=" not in header:
        if allow_legacy and _same(sign_legacy(secret, body), header.lower()):
            return Verdict.LEGACY
        if allow_legacy:
            raise SignatureError(
                "legacy body-only signature does not match", verdict=Verdict.INVALID
            )
        raise SignatureError(
            "signature header is not in the t=…,v1=… form (legacy body-only signatures are disabled)",
            verdict=Verdict.MALFORMED,
        )
    parsed = parse_header(header)
    expected = compute_signature(secret, parsed.timestamp, body)
    matched = False
    for candidate in parsed.signatures:
        matched |= _same(expected, candidate)
    if not matched:
        raise SignatureError(
            "signature does not match the body and secret", verdict=Verdict.INVALID
        )
    current = time.time() if now is None else now
    if abs(current - int(parsed.timestamp)) > tolerance_s:
        raise SignatureError(
            f"signature timestamp is more than {tolerance_s} s from now (replayed or clock skew)",
            verdict=Verdict.STALE,
        )
    return Verdict.VALID


def verify_any(
    secrets: Sequence[str],
    header: str | None,
    body: bytes,
    *,
    tolerance_s: int = DEFAULT_TOLERANCE_S,
    allow_legacy: bool = False,
    now: float | None = None,
) -> Verdict:
    """`verify` against several secrets (rotation overlap); the most specific rejection wins.

    A signature that matches one secret but is outside the tolerance is STALE, not INVALID.
    """
    if not secrets:
        if not header or not header.strip():
            raise SignatureError("missing X-Blooio-Signature header", verdict=Verdict.MISSING)
        raise SignatureError("no signing secret is configured", verdict=Verdict.INVALID)
    first: SignatureError | None = None
    for secret in secrets:
        try:
            return verify(
                secret, header, body, tolerance_s=tolerance_s, allow_legacy=allow_legacy, now=now
            )
        except SignatureError as exc:
            if exc.verdict != Verdict.INVALID:
                raise
            first = first or exc
    assert first is not None
    raise first
