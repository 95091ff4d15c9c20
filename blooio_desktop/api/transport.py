"""HTTP plumbing for the API client: one long-lived httpx.AsyncClient, auth, the retry loop, metadata.

Resource classes (contacts.py, messages.py, …) describe endpoints; this file decides how a request
is sent, retried and turned into JSON or an error. The API key lives only in the httpx client's
default headers: it is never logged, never part of a repr, never copied into an exception.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from blooio_desktop import __version__
from blooio_desktop.api.errors import error_from_response, error_from_transport, parse_retry_after
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.api.wire import invalid_response
from blooio_desktop.core.errors import BlooioError, ConnectionFailed, ValidationError
from blooio_desktop.core.urls import DEFAULT_BASE_URL, normalize_base_url

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
_SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})
_CONNECT_PHASE = (httpx.ConnectError, httpx.ConnectTimeout)  # the request never left this machine


@dataclass(frozen=True, slots=True)
class ResponseMeta:
    """What the last call looked like on the wire (for diagnostics and rate-limit displays)."""

    method: str
    path: str
    status: int
    attempts: int
    retry_after: float | None = None
    rate_limit: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ApiResponse:
    status: int
    data: Any
    meta: ResponseMeta


def check_api_key(api_key: object) -> str:
    """Reject keys that cannot be a header value; the message never echoes the key."""
    if not isinstance(api_key, str) or not api_key.strip():
        raise ValidationError("The API key is empty.", field="api_key")
    if api_key != api_key.strip() or any(ch.isspace() for ch in api_key):
        raise ValidationError(
            "The API key contains spaces or line breaks: paste it again without them.",
            field="api_key",
        )
    if not api_key.isascii() or not api_key.isprintable():
        raise ValidationError(
            "The API key contains characters an API key cannot have.", field="api_key"
        )
    return api_key


class DeferredTransport(httpx.AsyncBaseTransport):
    """Builds the real transport on the first request, so what building it costs (aiohttp's import
    ~0.1 s, httpcore's, a CA bundle ~30 ms) is paid after the window painted, not before."""

    def __init__(self, build: Callable[[], httpx.AsyncBaseTransport]) -> None:
        self._build = build
        self._transport: httpx.AsyncBaseTransport | None = None

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self._transport is None:
            self._transport = self._build()
        return await self._transport.handle_async_request(request)

    async def aclose(self) -> None:
        if self._transport is not None:
            await self._transport.aclose()


def _aiohttp() -> httpx.AsyncBaseTransport:
    from blooio_desktop.api.aiohttp_transport import AiohttpTransport

    return AiohttpTransport()


class ApiTransport:
    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 30.0,
        retry: RetryPolicy | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ValidationError(
                f"The timeout must be a positive number of seconds (got {timeout!r})."
            )
        self._secrets = (check_api_key(api_key),)
        self.base_url = normalize_base_url(base_url)
        self.host = urlsplit(self.base_url).netloc
        self.retry = retry or RetryPolicy()
        self.last_response: ResponseMeta | None = None
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            headers={
                "Authorization": f"Bearer {api_key}",
                "Accept": "application/json",
                "User-Agent": f"blooio-desktop/{__version__}",
            },
            timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT_S, timeout)),
            transport=transport if transport is not None else DeferredTransport(_aiohttp),
            follow_redirects=False,
        )

    @property
    def closed(self) -> bool:
        return self._http.is_closed

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
        headers: dict[str, str] | None = None,
        replay_safe: bool | None = None,
    ) -> ApiResponse:
        """Send one API call, retrying per the policy. `replay_safe` defaults to True for methods that
        are idempotent and for any call carrying an Idempotency-Key (reused on every attempt).
        """
        if self._http.is_closed:
            raise ConnectionFailed("The API client was closed; open a new one.")
        if replay_safe is None:
            replay_safe = method in _SAFE_METHODS or bool(headers and "Idempotency-Key" in headers)
        retry_index = 0
        while True:
            try:
                response = await self._http.request(
                    method,
                    path.lstrip("/"),
                    params=params,
                    json=json_body,
                    files=files,
                    headers=headers,
                )
            except httpx.HTTPError as exc:
                failure: BlooioError = error_from_transport(
                    exc, method=method, path=path, host=self.host
                )
                safe = replay_safe or isinstance(exc, _CONNECT_PHASE)
                log.info("%s %s failed (attempt %d): %s", method, path, retry_index + 1, failure)
            else:
                meta = self._meta(response, method, path, retry_index + 1)
                self.last_response = meta
                log.debug(
                    "%s %s -> %d (attempt %d)", method, path, response.status_code, meta.attempts
                )
                if response.is_success:
                    return ApiResponse(status=response.status_code, data=_json(response), meta=meta)
                failure = error_from_response(
                    response, method=method, path=path, secrets=self._secrets
                )
                safe = replay_safe
            if retry_index >= self.retry.max_retries or not self.retry.should_retry(
                failure, replay_safe=safe
            ):
                raise failure
            delay = self.retry.delay(retry_index, failure)
            log.info("Retrying %s %s in %.2fs (%s)", method, path, delay, failure)
            await self.retry.sleep(delay)
            retry_index += 1

    @staticmethod
    def _meta(response: httpx.Response, method: str, path: str, attempts: int) -> ResponseMeta:
        rate = {
            k: v for k, v in response.headers.items() if k.startswith(("x-ratelimit-", "ratelimit"))
        }
        return ResponseMeta(
            method=method,
            path=path,
            status=response.status_code,
            attempts=attempts,
            retry_after=parse_retry_after(response.headers),
            rate_limit=rate,
        )


def _json(response: httpx.Response) -> Any:
    if not response.content.strip():
        return {}
    try:
        return json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        raise invalid_response(
            f"HTTP {response.status_code} with a body that is not JSON "
            f"({response.headers.get('content-type', 'no content type')})"
        ) from None
