"""The external-URL and local-only providers, and choosing one from a setting."""

from __future__ import annotations

import pytest

from blooio_desktop.core.errors import TunnelError
from blooio_desktop.tunnel.base import TunnelState
from blooio_desktop.tunnel.external import ExternalTunnel
from blooio_desktop.tunnel.factory import create_tunnel
from blooio_desktop.tunnel.ngrok import NgrokTunnel
from blooio_desktop.tunnel.none import NoTunnel

LOCAL = "http://127.0.0.1:8123/webhooks/blooio"


async def test_external_url_gets_the_listener_path() -> None:
    tunnel = ExternalTunnel("https://hooks.example.com")
    assert await tunnel.current_url() is None
    assert await tunnel.start(LOCAL) == "https://hooks.example.com/webhooks/blooio"
    assert tunnel.status.state == TunnelState.UP
    assert await tunnel.current_url() == "https://hooks.example.com/webhooks/blooio"
    await tunnel.stop()
    assert await tunnel.current_url() is None


async def test_external_url_with_its_own_path_is_used_as_is() -> None:
    assert (
        await ExternalTunnel("https://x.ts.net/in/blooio").start(LOCAL)
        == "https://x.ts.net/in/blooio"
    )


@pytest.mark.parametrize("url", ["ftp://x", "hooks.example.com", "https://"])
def test_unusable_external_urls_are_refused_with_a_hint(url: str) -> None:
    with pytest.raises(TunnelError) as info:
        ExternalTunnel(url)
    assert info.value.hint


async def test_none_is_local_only() -> None:
    tunnel = NoTunnel()
    assert await tunnel.start(LOCAL) is None
    assert tunnel.status.state == TunnelState.LOCAL_ONLY
    assert await tunnel.current_url() is None


def test_factory_picks_the_provider() -> None:
    assert isinstance(create_tunnel("none"), NoTunnel)
    assert isinstance(create_tunnel("ngrok"), NgrokTunnel)
    assert isinstance(create_tunnel("https://a.example"), ExternalTunnel)
    with pytest.raises(TunnelError, match="unknown tunnel"):
        create_tunnel("wormhole")
