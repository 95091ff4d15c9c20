"""Image attachments get a thumbnail, fetched once in the background; the row grows to show it."""

from __future__ import annotations

from typing import Any

import qasync
from aiohttp import web
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt
from PySide6.QtGui import QImage

from blooio_desktop.core.models import Attachment
from blooio_desktop.services.attachments import AttachmentProber
from blooio_desktop.store import Database
from blooio_desktop.ui.context import AppContext
from blooio_desktop.ui.thread.layout import CARD_H
from blooio_desktop.ui.thread.panel import ThreadPanel
from tests.ui.conftest import message, seed, wait_for

BOB = "+15550000002"


def _png(width: int, height: int) -> bytes:
    image = QImage(width, height, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return bytes(data.data())


def test_an_image_attachment_shows_its_thumbnail(
    db: Database, ui_context: AppContext, qtbot: Any, qloop: qasync.QEventLoop
) -> None:
    picture = _png(400, 200)

    async def serve(_request: web.Request) -> web.Response:
        return web.Response(body=picture, content_type="image/png")

    async def body() -> None:
        app = web.Application()
        app.router.add_get("/beach.png", serve)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        url = f"http://127.0.0.1:{runner.addresses[0][1]}/beach.png"
        seed(db, {BOB: ("Bob", [message(BOB, 1, text="look", attachments=(Attachment(url),))])})
        ui_context.prober = AttachmentProber(timeout=5.0)
        try:
            panel = ThreadPanel(ui_context)
            qtbot.addWidget(panel)
            panel.resize(700, 500)
            panel.show()
            panel.open_chat(BOB)
            assert panel.thumbnails is not None
            await wait_for(lambda: panel.thumbnails(url) is not None, what="the thumbnail")
            view = panel.view
            index = panel.model.index(0, 0)
            await wait_for(lambda: view.visualRect(index).height() > CARD_H + 60, what="relayout")
        finally:
            await ui_context.prober.aclose()
            await runner.cleanup()

    qloop.run_until_complete(body())
