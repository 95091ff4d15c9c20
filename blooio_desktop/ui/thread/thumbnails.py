"""Image thumbnails for attachment cards, fetched once in the background and kept in memory.

The delegate calls the cache like a function: a pixmap if it is there, else None (and a fetch
starts for links that look like images). `ready(url)` tells the view to lay the rows out again.
"""

from __future__ import annotations

import posixpath
from urllib.parse import urlsplit

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QPixmap

from blooio_desktop.services.attachments import AttachmentProber
from blooio_desktop.ui.tasks import TaskSet

IMAGE_EXTENSIONS = frozenset({".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp"})
THUMB_WIDTH = 500  # device pixels: sharp on 2x screens at the card width
MAX_CACHED = 300


def looks_like_image(url: str) -> bool:
    return posixpath.splitext(urlsplit(url).path.lower())[1] in IMAGE_EXTENSIONS


class ThumbnailCache(QObject):
    ready = Signal(str)

    def __init__(self, prober: AttachmentProber, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._prober = prober
        self._pixmaps: dict[str, QPixmap | None] = {}  # None: fetching, or not an image
        self._tasks = TaskSet()

    def __call__(self, url: str) -> QPixmap | None:
        if url in self._pixmaps:
            return self._pixmaps[url]
        if looks_like_image(url) and len(self._pixmaps) < MAX_CACHED:
            self._pixmaps[url] = None
            self._tasks.spawn(self._fetch(url))
        return None

    async def _fetch(self, url: str) -> None:
        data = await self._prober.fetch_image(url)
        pixmap = QPixmap()
        if data and pixmap.loadFromData(data):
            if pixmap.width() > THUMB_WIDTH:
                pixmap = pixmap.scaledToWidth(
                    THUMB_WIDTH, Qt.TransformationMode.SmoothTransformation
                )
            self._pixmaps[url] = pixmap
            self.ready.emit(url)

    def close(self) -> None:
        self._tasks.cancel_all()
