"""The "none" provider: local only (the sandbox delivers to 127.0.0.1 directly)."""

from __future__ import annotations

from blooio_desktop.tunnel.base import TunnelState, TunnelStatus


class NoTunnel:
    """Exposes nothing; the webhook URL is the listener's own local URL."""

    name = "none"

    def __init__(self) -> None:
        self._status = TunnelStatus(TunnelState.STOPPED)

    @property
    def status(self) -> TunnelStatus:
        return self._status

    async def start(self, local_url: str) -> str | None:
        self._status = TunnelStatus(TunnelState.LOCAL_ONLY, message="local only: no tunnel")
        return None

    async def stop(self) -> None:
        self._status = TunnelStatus(TunnelState.STOPPED)

    async def current_url(self) -> str | None:
        return None
