"""Start the sandbox as a real child process and drive its /_sandbox control endpoints."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx

STARTUP_TIMEOUT_S = 30.0


@dataclass
class SandboxHandle:
    base_url: str  # http://127.0.0.1:PORT/v2/api
    api_key: str
    process: subprocess.Popen[str] | None = None
    _http: httpx.Client = field(default_factory=lambda: httpx.Client(timeout=30.0))

    @property
    def root(self) -> str:
        return self.base_url.rsplit("/v2/api", 1)[0]

    def control(self, method: str, path: str, payload: Any = None) -> Any:
        """Call a /_sandbox/ control endpoint (not part of Blooio's API) and return its JSON."""
        res = self._http.request(method, f"{self.root}/_sandbox/{path.lstrip('/')}", json=payload)
        res.raise_for_status()
        return res.json() if res.content else None

    def api(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A raw, authorised call to the sandbox's Blooio API, for asserting on server truth."""
        headers = {"Authorization": f"Bearer {self.api_key}", **kwargs.pop("headers", {})}
        return self._http.request(method, f"{self.base_url}/{path.lstrip('/')}", headers=headers, **kwargs)

    def reset(self, *, seed: bool = False) -> None:
        self.control("POST", "reset", {"seed": seed})

    def set_faults(self, **config: Any) -> None:
        self.control("PUT", "faults", config)

    def counters(self) -> dict[str, Any]:
        result: dict[str, Any] = self.control("GET", "counters")
        return result

    def stop(self) -> None:
        self._http.close()
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_sandbox_process(extra_args: list[str], env: dict[str, str] | None = None) -> SandboxHandle:
    """Run `python -m blooio_desktop sandbox --port 0 …` and wait for its one JSON ready line."""
    cmd = [sys.executable, "-m", "blooio_desktop", "sandbox", "--port", "0", *extra_args]
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=None,
        text=True,
        env={**os.environ, **(env or {})},
    )
    ready: dict[str, Any] = {}

    def read_first_line() -> None:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if line:
            ready.update(json.loads(line))

    reader = threading.Thread(target=read_first_line, daemon=True)
    reader.start()
    reader.join(STARTUP_TIMEOUT_S)
    if not ready:
        proc.kill()
        raise RuntimeError(f"sandbox did not start within {STARTUP_TIMEOUT_S}s (exit={proc.poll()})")
    return SandboxHandle(base_url=ready["base_url"], api_key=ready["api_key"], process=proc)
