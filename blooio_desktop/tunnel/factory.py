"""Builds the tunnel provider a setting or `--tunnel none|ngrok|URL` names."""

from __future__ import annotations

from pathlib import Path

from blooio_desktop.core.errors import TunnelError
from blooio_desktop.tunnel.base import TunnelProvider
from blooio_desktop.tunnel.external import ExternalTunnel
from blooio_desktop.tunnel.none import NoTunnel


def create_tunnel(
    kind: str,
    *,
    authtoken: str | None = None,
    region: str | None = None,
    ngrok_path: str | Path | None = None,
    config_path: str | Path | None = None,
    allow_download: bool = True,
) -> TunnelProvider:
    """`none`, `ngrok`, or an http(s) URL the user's own tunnel serves."""
    choice = kind.strip()
    if choice.lower() in ("", "none", "local"):
        return NoTunnel()
    if choice.lower() == "ngrok":
        # Imported here: pyngrok (and yaml) cost ~30 ms at start-up for everyone not using ngrok.
        from blooio_desktop.tunnel.ngrok import NgrokTunnel

        return NgrokTunnel(
            authtoken=authtoken,
            region=region,
            ngrok_path=ngrok_path,
            config_path=config_path,
            allow_download=allow_download,
        )
    if "://" in choice:
        return ExternalTunnel(choice)
    raise TunnelError(
        f"unknown tunnel {kind!r}", hint="use none, ngrok, or the https:// URL of your own tunnel"
    )
