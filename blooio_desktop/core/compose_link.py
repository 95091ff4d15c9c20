"""`sms:`, `smsto:` and `imessage:` links — whom to write to and what — as a desktop hands them over.

RFC 5724 (`sms:+15551234567,+15557654321?body=Hi`) and what phones and web pages write besides:
`sms://+1555…`, iOS's `sms:+1555…&body=Hi`, Android's `smsto:+1555…:Hi`, `imessage:name@example.com`.
Every recipient is validated like a typed one, so a bad link gets the same specific message.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, unquote

from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.identifiers import normalize_handle

SCHEMES = ("sms", "smsto", "imessage")


@dataclass(frozen=True, slots=True)
class ComposeLink:
    recipients: tuple[str, ...]  # normalised handles; more than one is a group conversation
    body: str | None = None

    @property
    def chat_id(self) -> str:
        """The chat to open: the handle, or the comma-joined list Blooio sends to as a group."""
        return ",".join(self.recipients)


def parse_compose_link(link: str) -> ComposeLink:
    """The recipients and text of a link, or a `ValidationError` that says what is wrong with it."""
    scheme, colon, rest = link.strip().partition(":")
    if not colon or scheme.lower() not in SCHEMES:
        raise ValidationError(
            f"Blooio Desktop opens sms:, smsto: and imessage: links, not “{_shorten(link)}”.",
            field="link",
        )
    rest = rest.removeprefix("//")
    if "?" in rest:
        to, _, query = rest.partition("?")
    else:  # iOS writes `sms:+1555…&body=…`
        to, _, query = rest.partition("&")
    body = parse_qs(query).get("body", [None])[0]
    if scheme.lower() == "smsto" and ":" in to:  # Android: `smsto:+1555…:text`
        to, _, text = to.partition(":")
        body = body or unquote(text)
    handles = [unquote(part) for part in to.split(",") if unquote(part).strip()]
    if not handles:
        raise ValidationError("The link does not say whom to write to.", field="link")
    recipients = tuple(dict.fromkeys(normalize_handle(handle) for handle in handles))
    return ComposeLink(recipients, body if body and body.strip() else None)


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
