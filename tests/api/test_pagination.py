"""Offset pagination: the stop rules of blooio-api.md §2, and lazy iterators over the real sandbox."""

from __future__ import annotations

import pytest

from blooio_desktop.api import BlooioClient
from blooio_desktop.api.pagination import is_last_page, paginate
from blooio_desktop.core.errors import ValidationError
from blooio_desktop.core.models import Page
from tests.support.sandbox import SandboxHandle

PHONE = "+15551234567"


def page(
    count: int,
    *,
    limit: int = 3,
    offset: int = 0,
    total: int | None = None,
    has_more: bool | None = None,
) -> Page[int]:
    return Page(
        items=tuple(range(count)), limit=limit, offset=offset, total=total, has_more=has_more
    )


@pytest.mark.parametrize(
    ("current", "last"),
    [
        (page(0), True),  # empty
        (page(2), True),  # short
        (page(3, total=3), True),  # offset + count reached total
        (page(3, offset=3, total=9), False),
        (page(3, has_more=False), True),
        (page(3, has_more=True), False),
        (page(3), False),  # full page, nothing else known: ask for the next one
        (page(200, limit=200), False),  # the server clamped 500 → 200: not a short page
    ],
)
def test_stop_rules(current: Page[int], last: bool) -> None:
    assert is_last_page(current, requested=3 if current.limit == 3 else 500) is last


async def test_paginate_is_lazy_and_advances_by_items_received() -> None:
    calls: list[tuple[int, int]] = []

    async def fetch(limit: int, offset: int) -> Page[int]:
        calls.append((limit, offset))
        items = tuple(range(offset, min(offset + limit, 7)))
        return Page(items=items, limit=limit, offset=offset, total=None)

    iterator = paginate(fetch, page_size=3)
    assert calls == []
    assert await anext(iterator) == 0
    assert calls == [(3, 0)]
    assert [x async for x in iterator] == [1, 2, 3, 4, 5, 6]
    assert calls == [(3, 0), (3, 3), (3, 6)]


async def test_paginate_rejects_bad_page_sizes() -> None:
    async def fetch(limit: int, offset: int) -> Page[int]:
        raise AssertionError("no request may be made")

    with pytest.raises(ValidationError, match="1 to 200"):
        await anext(paginate(fetch, page_size=0))


async def test_iter_messages_walks_every_page_and_stops_at_total(
    client: BlooioClient, sandbox: SandboxHandle
) -> None:
    sent = [await client.send_message(PHONE, text=f"m{i}") for i in range(6)]
    before = sandbox.counters()["requests"]
    seen = [m.message_id async for m in client.iter_messages(PHONE, page_size=3, sort="asc")]
    assert seen == [s.message_id for s in sent]
    assert (
        sandbox.counters()["requests"] - before == 2
    )  # 6 of total 6 after two pages: no third call
    before = sandbox.counters()["requests"]
    newest = [m.text async for m in client.iter_messages(PHONE, page_size=4)]
    assert newest == [f"m{i}" for i in reversed(range(6))]
    assert sandbox.counters()["requests"] - before == 2  # 4 + 2 (short page)


async def test_other_iterators(client: BlooioClient) -> None:
    for i in range(5):
        await client.send_message(f"+1555000000{i}", text="hi")
    assert len([c async for c in client.iter_chats(page_size=2)]) == 5
    assert len([c async for c in client.iter_contacts(page_size=2, sort="oldest")]) == 5
    group = await client.create_group("G", [f"+1555000000{i}" for i in range(5)])
    await client.create_group("H")
    assert len([g async for g in client.iter_groups(page_size=1)]) == 2
    assert len([m async for m in client.iter_members(group.group_id, page_size=2)]) == 5
