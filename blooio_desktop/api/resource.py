"""Base of the endpoint groups (account, contacts, chats, messages, groups, webhooks).

Each group is a small class over the shared `ApiTransport`; `BlooioClient` inherits them all, so the
app sees one object while each file stays about one area of the API.
"""

from __future__ import annotations

from typing import Any

from blooio_desktop.api.transport import ApiResponse, ApiTransport
from blooio_desktop.api.wire import obj


class Resource:
    _transport: ApiTransport

    async def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """One API call whose JSON answer is an object (every v2 endpoint answers with one)."""
        response = await self._transport.request(method, path, **kwargs)
        return obj(response.data)

    async def _raw(self, method: str, path: str, **kwargs: Any) -> ApiResponse:
        """One API call when the status matters too (201 vs 200, 202 vs 200)."""
        return await self._transport.request(method, path, **kwargs)
