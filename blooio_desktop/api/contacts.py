"""Contact endpoints: list/search, create, read, rename, delete, and iMessage/SMS capabilities."""

from __future__ import annotations

from collections.abc import AsyncIterator

from blooio_desktop.api import bodies, schemas
from blooio_desktop.api.pagination import paginate
from blooio_desktop.api.params import build_path, choice, page_params, query, require_id
from blooio_desktop.api.resource import Resource
from blooio_desktop.core.models import Capabilities, Contact, Page

CONTACT_SORTS = ("recent", "oldest", "name_asc", "name_desc")


class ContactsApi(Resource):
    async def list_contacts(
        self, q: str | None = None, sort: str | None = None, limit: int = 50, offset: int = 0
    ) -> Page[Contact]:
        params = query(
            q=q or None, sort=choice(sort, CONTACT_SORTS, "sort"), **page_params(limit, offset)
        )
        data = await self._call("GET", build_path("contacts"), params=params)
        return schemas.parse_page(
            data, "contacts", schemas.parse_contact, limit=limit, offset=offset
        )

    def iter_contacts(
        self, q: str | None = None, sort: str | None = None, page_size: int = 50
    ) -> AsyncIterator[Contact]:
        return paginate(
            lambda limit, offset: self.list_contacts(q, sort, limit, offset), page_size=page_size
        )

    async def create_contact(self, identifier: str, name: str | None = None) -> Contact:
        """POST /contacts — 409 (ApiError) if it already exists."""
        body = bodies.contact_body(identifier, name)
        return schemas.parse_contact(
            await self._call("POST", build_path("contacts"), json_body=body)
        )

    async def get_contact(self, identifier: str) -> Contact:
        path = build_path("contacts", require_id(identifier, "contact"))
        return schemas.parse_contact(await self._call("GET", path))

    async def rename_contact(self, identifier: str, name: str | None) -> Contact:
        """PATCH /contacts/{id}; an empty or None name clears it."""
        path = build_path("contacts", require_id(identifier, "contact"))
        body = {"name": name.strip() if name and name.strip() else None}
        return schemas.parse_contact(await self._call("PATCH", path, json_body=body))

    async def delete_contact(self, identifier: str) -> None:
        await self._call("DELETE", build_path("contacts", require_id(identifier, "contact")))

    async def capabilities(self, identifier: str) -> Capabilities:
        """Whether the handle can get iMessage (else Blooio falls back to SMS); cached server-side."""
        handle = require_id(identifier, "contact")
        data = await self._call("GET", build_path("contacts", handle, "capabilities"))
        return schemas.parse_capabilities(data, handle)
