"""HTTP plumbing for the API client: one long-lived httpx.AsyncClient, auth, the retry loop, metadata.

Resource classes (contacts.py, messages.py, …) describe endpoints; this file decides how a request
is sent, retried and turned into JSON or an error. The API key is held privately and sent only as the
httpx client's default header: it is never logged, never part of a repr, never copied into an
exception. The httpx client itself is built on the first request, after the window has painted.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from blooio_desktop import __version__
from blooio_desktop.api.errors import error_from_response, error_from_transport, parse_retry_after
from blooio_desktop.api.retry import RetryPolicy
from blooio_desktop.api.wire import invalid_response
from blooio_desktop.core.errors import BlooioError, ConnectionFailed, ValidationError
from blooio_desktop.core.urls import DEFAULT_BASE_URL, normalize_base_url

if TYPE_CHECKING:  # httpx loads with the first request, after the window has painted (~50 ms)
    import httpx

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
_SAFE_METHODS = frozenset({"GET", "HEAD", "PUT", "PATCH", "DELETE", "OPTIONS"})


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
        self._timeout = timeout
        self._transport = transport
        self._http: httpx.AsyncClient | None = None
        self._closed = False

    def _client(self) -> httpx.AsyncClient:
        """The one client, built on the first request: httpx and aiohttp load then, not at start-up."""
        if self._http is None:
            import httpx

            from blooio_desktop.api.aiohttp_transport import AiohttpTransport

            timeout = self._timeout
            self._http = httpx.AsyncClient(
                base_url=self.base_url + "/",
                headers={
                    "Authorization": f"Bearer {self._secrets[0]}",
                    "Accept": "application/json",
                    "User-Agent": f"blooio-desktop/{__version__}",
                },
                timeout=httpx.Timeout(timeout, connect=min(CONNECT_TIMEOUT_S, timeout)),
                transport=self._transport if self._transport is not None else AiohttpTransport(),
                follow_redirects=False,
            )
        return self._http

    @property
    def closed(self) -> bool:
        return self._closed

    async def aclose(self) -> None:
        self._closed = True
        if self._http is not None:
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
        import httpx  # loaded by `_client()` on the first request; a dict lookup after that

        if replay_safe is None:
            replay_safe = method in _SAFE_METHODS or bool(headers and "Idempotency-Key" in headers)
        retry_index = 0
        while True:
            if self._closed:  # also between attempts: closing cuts a retry short, it does not crash
                raise ConnectionFailed("The API client was closed; open a new one.")
            try:
                response = await self._client().request(
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
                # A connection that was never made: the request never left this machine.
                safe = replay_safe or isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
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
