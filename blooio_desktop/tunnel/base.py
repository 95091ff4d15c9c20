"""What every tunnel provider looks like to the connectivity service, and how it reports status."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol
from urllib.parse import urlsplit, urlunsplit


class TunnelState(StrEnum):
    STOPPED = "stopped"
    STARTING = "starting"
    UP = "up"
    FAILED = "failed"
    LOCAL_ONLY = "local-only"  # provider "none": nothing outside this machine can reach us


@dataclass(frozen=True, slots=True)
class TunnelStatus:
    """A status line for the UI: where we are, the public URL if any, and what to do on failure."""

    state: TunnelState
    public_url: str | None = None
    message: str | None = None
    hint: str | None = None


class TunnelProvider(Protocol):
    """Starts/stops one way of exposing the listener; `start` returns the public webhook URL."""

    name: str

    @property
    def status(self) -> TunnelStatus: ...

    async def start(self, local_url: str) -> str | None:
        """Expose `local_url` (the listener's full URL); return the public URL for the same path,
        or None when nothing public exists. Raises TunnelError(hint=…) on failure."""
        ...

    async def stop(self) -> None: ...

    async def current_url(self) -> str | None:
        """The public URL the tunnel serves right now (as `start` returned it), or None when it
        exposes nothing — never started, stopped, or its agent died (then `status` says why).
        Never raises: the connectivity watchdog polls it."""
        ...


def with_path_of(base_url: str, local_url: str) -> str:
    """`base_url`'s scheme and host with `local_url`'s path and query (tunnels forward the path)."""
    base, local = urlsplit(base_url), urlsplit(local_url)
    path = base.path.rstrip("/") + local.path
    return urlunsplit((base.scheme, base.netloc, path, local.query, ""))
