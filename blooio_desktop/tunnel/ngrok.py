"""The ngrok provider, through pyngrok, always off the UI path (`asyncio.to_thread`).

pyngrok blocks (it spawns the agent and polls its logs), so every call runs in a worker thread.
Any failure — agent missing and not downloadable, bad authtoken, account limits, no network —
becomes a `TunnelError` whose `hint` says what to do next; the authtoken never appears in it.
`current_url` asks the running agent's local API for our tunnel, and never starts an agent itself.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from pyngrok import conf, ngrok
from pyngrok.exception import (
    PyngrokError,
    PyngrokNgrokError,
    PyngrokNgrokInstallError,
    PyngrokNgrokURLError,
)
from pyngrok.ngrok import NgrokTunnel as PyngrokTunnel
from pyngrok.process import NgrokProcess

from blooio_desktop.core.errors import TunnelError
from blooio_desktop.tunnel.base import TunnelState, TunnelStatus, with_path_of

log = logging.getLogger(__name__)

HINT_INSTALL = (
    "ngrok isn't installed and can't be downloaded: install it or set its path in Settings"
)
HINT_AUTHTOKEN = (
    "ngrok rejected the authtoken: paste a new one from "
    "https://dashboard.ngrok.com/get-started/your-authtoken in Settings"
)
HINT_NO_AUTHTOKEN = "ngrok needs an authtoken: create a free account at ngrok.com and paste your authtoken in Settings"
HINT_LIMIT = (
    "your ngrok account limit was reached (e.g. one agent session at a time): stop the other "
    "ngrok agent or upgrade the plan, then retry"
)
HINT_NETWORK = (
    "ngrok could not be reached: check the internet connection and retry; the app keeps working "
    "and catches up on missed messages when the tunnel is back"
)
HINT_OTHER = "ngrok could not start: check the ngrok path and config in Settings, then retry"
HINT_LOST = "the app restarts ngrok by itself; if that keeps failing, check Settings"
TUNNEL_NAME = "blooio-desktop-webhooks"
_PYNGROK_LOGGERS = ("pyngrok.process", "pyngrok.process.ngrok", "pyngrok.ngrok")
_ERR_CODE = re.compile(r"ERR_NGROK_(\d+)")
_ECHOED_TOKEN = re.compile(r"(authtoken:\s*)[^\s\\\"']+", re.IGNORECASE)


class NgrokTunnel:
    """Starts a pyngrok-managed agent (an existing binary via `ngrok_path`, or pyngrok's own)."""

    name = "ngrok"

    def __init__(
        self,
        *,
        authtoken: str | None = None,
        region: str | None = None,
        ngrok_path: str | Path | None = None,
        config_path: str | Path | None = None,
        allow_download: bool = True,
        startup_timeout: int = 15,
    ) -> None:
        self._authtoken = authtoken
        self._allow_download = allow_download
        self._config = conf.PyngrokConfig(
            ngrok_path=str(ngrok_path) if ngrok_path else None,
            config_path=str(config_path) if config_path else None,
            auth_token=authtoken,
            region=region,
            startup_timeout=startup_timeout,
        )
        self._public_base: str | None = None
        self._local_url = ""
        self._agent: tuple[NgrokProcess, str] | None = None  # the process and our tunnel's API URL
        self._status = TunnelStatus(TunnelState.STOPPED)
        self._redact = _Redact(authtoken or os.environ.get("NGROK_AUTHTOKEN"))

    def __repr__(self) -> str:
        return f"NgrokTunnel(ngrok_path={self._config.ngrok_path!r}, state={self._status.state})"

    @property
    def status(self) -> TunnelStatus:
        return self._status

    async def start(self, local_url: str) -> str | None:
        """Open an https tunnel to the listener's host:port; returns the public listener URL."""
        if self._public_base is not None:
            return with_path_of(self._public_base, local_url)
        self._status = TunnelStatus(TunnelState.STARTING, message="starting ngrok…")
        if not os.path.exists(self._config.ngrok_path) and not self._allow_download:
            self._fail(TunnelError("ngrok was not found", hint=HINT_INSTALL))
        self._install_redaction(True)
        parts = urlsplit(local_url)
        upstream = f"{parts.scheme}://{parts.hostname}:{parts.port}"
        try:
            tunnel, agent = await asyncio.to_thread(self._connect, upstream)
        except PyngrokError as exc:
            await self._kill_quietly()
            self._fail(self._translate(exc))
        public = str(tunnel.public_url)
        self._public_base, self._local_url = public, local_url
        self._agent = (agent, f"{tunnel.api_url}{tunnel.uri}")
        result = with_path_of(public, local_url)
        self._status = TunnelStatus(TunnelState.UP, public_url=result, message="ngrok tunnel up")
        return result

    async def current_url(self) -> str | None:
        """Our tunnel's public URL as the agent reports it now (it changes when the agent
        reconnects on a plan without a reserved domain); None once the agent died."""
        agent = self._agent
        if self._public_base is None or agent is None:
            return None
        base = await asyncio.to_thread(self._probe, *agent)
        if base is None:
            alive = agent[0].proc.poll() is None
            message = "the ngrok tunnel closed" if alive else "the ngrok agent exited"
            self._status = TunnelStatus(TunnelState.FAILED, message=message, hint=HINT_LOST)
            return None
        self._public_base = base
        result = with_path_of(base, self._local_url)
        if result != self._status.public_url:
            self._status = TunnelStatus(
                TunnelState.UP, public_url=result, message="ngrok tunnel up"
            )
        return result

    async def stop(self) -> None:
        """Close the tunnel and the agent pyngrok started for it."""
        agent, self._agent = self._agent, None
        if self._public_base is not None and agent is not None and agent[0].proc.poll() is None:
            try:
                await asyncio.to_thread(ngrok.disconnect, self._public_base, self._config)
            except PyngrokError as exc:
                log.warning("closing the ngrok tunnel failed: %s", self._scrub(str(exc)))
        self._public_base = None
        await self._kill_quietly()
        self._install_redaction(False)
        self._status = TunnelStatus(TunnelState.STOPPED)

    def _connect(self, upstream: str) -> tuple[PyngrokTunnel, NgrokProcess]:
        tunnel = ngrok.connect(upstream, "http", TUNNEL_NAME, self._config)
        return tunnel, ngrok.get_ngrok_process(self._config)  # running now: nothing is started

    def _probe(self, agent: NgrokProcess, tunnel_api_url: str) -> str | None:
        if agent.proc.poll() is not None:
            return None
        try:
            data = ngrok.api_request(tunnel_api_url, timeout=self._config.request_timeout)
        except PyngrokError:
            return None
        url = data.get("public_url") or data.get("url")
        return str(url) if url else None

    def _install_redaction(self, on: bool) -> None:
        for name in _PYNGROK_LOGGERS:
            logger = logging.getLogger(name)
            if on:
                logger.addFilter(self._redact)
            else:
                logger.removeFilter(self._redact)

    async def _kill_quietly(self) -> None:
        try:
            await asyncio.to_thread(ngrok.kill, self._config)
        except (PyngrokError, OSError) as exc:
            log.warning("stopping the ngrok agent failed: %s", self._scrub(str(exc)))

    def _fail(self, error: TunnelError) -> None:
        self._status = TunnelStatus(TunnelState.FAILED, message=error.message, hint=error.hint)
        raise error

    def _translate(self, exc: PyngrokError) -> TunnelError:
        """Turn a pyngrok failure into a sentence and a next step, without leaking the authtoken."""
        if isinstance(exc, PyngrokNgrokInstallError):
            return TunnelError(
                "ngrok is not installed and could not be downloaded", hint=HINT_INSTALL
            )
        detail = ""
        if isinstance(exc, PyngrokNgrokError):
            detail = " ".join(filter(None, [exc.ngrok_error, str(exc)]))
        text = self._scrub(detail or str(exc))
        code = _ERR_CODE.search(text)
        number = int(code.group(1)) if code else None
        lowered = text.lower()
        if number == 4018 or "requires a verified account and authtoken" in lowered:
            return TunnelError("ngrok needs an authtoken", hint=HINT_NO_AUTHTOKEN)
        if number in (105, 106, 107) or "authtoken" in lowered:
            return TunnelError("ngrok rejected the authtoken", hint=HINT_AUTHTOKEN)
        if number in (108, 109, 702) or "limited to" in lowered:
            return TunnelError("ngrok account limit reached", hint=HINT_LIMIT)
        if isinstance(exc, PyngrokNgrokURLError) or "tls" in lowered or "dial" in lowered:
            return TunnelError("ngrok could not connect", hint=HINT_NETWORK)
        summary = f" (ERR_NGROK_{number})" if number else ""
        return TunnelError(f"ngrok could not start{summary}", hint=HINT_OTHER)

    def _scrub(self, text: str) -> str:
        return self._redact.scrub(text)


class _Redact(logging.Filter):
    """pyngrok logs the agent's lines verbatim, and ngrok echoes a rejected authtoken (possibly
    one from the agent's own config file, which we never see)."""

    def __init__(self, secret: str | None) -> None:
        super().__init__()
        self._secret = secret

    def scrub(self, text: str) -> str:
        if self._secret:
            text = text.replace(self._secret, "<redacted>")
        return _ECHOED_TOKEN.sub(r"\1<redacted>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        return True
