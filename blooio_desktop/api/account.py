"""Account endpoints: who the key belongs to and which numbers it may send from."""

from __future__ import annotations

from blooio_desktop.api import schemas
from blooio_desktop.api.params import build_path
from blooio_desktop.api.resource import Resource
from blooio_desktop.core.models import Account, PhoneNumber


class AccountApi(Resource):
    async def me(self) -> Account:
        """GET /me — also the cheapest way to check that a key works."""
        return schemas.parse_account(await self._call("GET", build_path("me")))

    async def numbers(self) -> list[PhoneNumber]:
        """GET /me/numbers — the sending numbers (not paginated)."""
        return schemas.parse_numbers(await self._call("GET", build_path("me", "numbers")))
