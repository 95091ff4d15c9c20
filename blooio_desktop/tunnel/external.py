"""The "external URL" provider: the user runs cloudflared, Tailscale Funnel, a reverse proxy…

We cannot start or check their tunnel, so we only validate the URL and trust it maps to the listener.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from blooio_desktop.core.errors import TunnelError
from blooio_desktop.tunnel.base import TunnelState, TunnelStatus, with_path_of


class ExternalTunnel:
    """A public URL the user operates; `start` returns it with the listener's path appended
    unless the URL already names a path."""

    name = "external"

    def __init__(self, public_url: str) -> None:
        parts = urlsplit(public_url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise TunnelError(
                f"{public_url!r} is not a usable public URL",
                hint="enter the https:// address your tunnel (cloudflared, Tailscale Funnel, …) serves",
            )
        self._public_url = public_url.strip()
        self._status = TunnelStatus(TunnelState.STOPPED)

    @property
    def status(self) -> TunnelStatus:
        return self._status

    async def start(self, local_url: str) -> str | None:
        has_path = urlsplit(self._public_url).path.strip("/") != ""
        public = self._public_url if has_path else with_path_of(self._public_url, local_url)
        self._status = TunnelStatus(TunnelState.UP, public_url=public, message="external tunnel")
        return public

    async def stop(self) -> None:
        self._status = TunnelStatus(TunnelState.STOPPED)

    async def current_url(self) -> str | None:
        """What `start` returned: the user's tunnel cannot be checked from here."""
        return self._status.public_url
