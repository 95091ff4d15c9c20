"""Walk an offset-paginated list lazily, page by page, with the stop rules of blooio-api.md §2."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from blooio_desktop.api.params import page_params
from blooio_desktop.core.models import Page

T = TypeVar("T")
PageFetcher = Callable[[int, int], Awaitable[Page[T]]]  # (limit, offset) -> page


def is_last_page(page: Page[T], *, requested: int) -> bool:
    """Stop on an empty or short page, when `offset + count >= total`, or when `has_more` is false.

    A server may clamp the page size, so "short" is measured against what it says it used.
    """
    count = len(page.items)
    if count == 0 or page.has_more is False:
        return True
    if count < min(requested, page.limit or requested):
        return True
    return page.total is not None and page.offset + count >= page.total


async def paginate(
    fetch: PageFetcher[T], *, page_size: int = 50, offset: int = 0
) -> AsyncIterator[T]:
    """Yield every item from `offset` on; the next page is requested only when the caller wants it."""
    page_params(page_size, offset)  # fail on bad input before the first request
    while True:
        page = await fetch(page_size, offset)
        for item in page.items:
            yield item
        if is_last_page(page, requested=page_size):
            return
        offset += len(page.items)
