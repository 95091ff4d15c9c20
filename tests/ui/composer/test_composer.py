"""The composer: Enter/Shift+Enter, drafts, typing, links dropped or pasted as checked chips."""

from __future__ import annotations

import asyncio
from typing import Any

import qasync
from aiohttp import web
from PySide6.QtCore import QMimeData, Qt, QUrl
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QInputDialog

from blooio_desktop.services.attachments import AttachmentProber
from blooio_desktop.ui.composer.composer import Composer, Outgoing
from tests.ui.conftest import drop_on, wait_for


def _composer(qtbot: Any, prober: AttachmentProber | None = None) -> Composer:
    composer = Composer(prober)
    qtbot.addWidget(composer)
    composer.set_chat("+15550000001")
    composer.show()
    return composer


def _drop(composer: Composer, mime: QMimeData) -> None:
    drop_on(composer.edit.viewport(), mime)


def test_enter_sends_and_shift_enter_adds_a_line(qtbot: Any) -> None:
    composer = _composer(qtbot)
    sent: list[Outgoing] = []
    composer.send_requested.connect(sent.append)
    assert not composer.send.isEnabled()
    qtbot.keyClicks(composer.edit, "first line")
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(composer.edit, "second")
    assert composer.send.isEnabled() and not sent
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert sent == [Outgoing(chat_id="+15550000001", text="first line\nsecond")]
    assert composer.edit.toPlainText() == ""
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)  # nothing to send: nothing sent
    assert len(sent) == 1


def test_each_chat_keeps_its_own_draft(qtbot: Any) -> None:
    composer = _composer(qtbot)
    drafts: list[tuple[str, str]] = []
    composer.draft_changed.connect(lambda chat, text: drafts.append((chat, text)))
    qtbot.keyClicks(composer.edit, "half a thought")
    composer.set_chat("+15550000002", draft="bob's draft")
    assert drafts == [("+15550000001", "half a thought")]
    assert composer.edit.toPlainText() == "bob's draft"


def test_typing_is_announced_once_and_stopped_on_send(qtbot: Any) -> None:
    composer = _composer(qtbot)
    typing: list[bool] = []
    composer.typing.connect(lambda _chat, on: typing.append(on))
    qtbot.keyClicks(composer.edit, "hello there")
    assert typing == [True]
    qtbot.keyClick(composer.edit, Qt.Key.Key_Return)
    assert typing == [True, False]


def test_dropped_links_become_chips_and_dropped_text_is_inserted(qtbot: Any) -> None:
    composer = _composer(qtbot)
    uri_list = QMimeData()
    uri_list.setUrls([QUrl("https://example.com/report.pdf")])
    _drop(composer, uri_list)
    plain_url = QMimeData()
    plain_url.setText("https://example.com/page")  # a browser's address bar drags plain text
    _drop(composer, plain_url)
    assert list(composer.chips.chips) == [
        "https://example.com/report.pdf",
        "https://example.com/page",
    ]
    words = QMimeData()
    words.setText("just words")
    _drop(composer, words)
    assert composer.edit.toPlainText() == "just words"
    local = QMimeData()
    local.setUrls([QUrl.fromLocalFile("/tmp/a.png")])
    _drop(composer, local)
    assert "upload the file somewhere public" in composer.error.text()


def test_pasted_file_links_become_chips_other_links_stay_text(qtbot: Any) -> None:
    composer = _composer(qtbot)
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("https://example.com/photo.jpg")
    composer.edit.paste()
    clipboard.setText("https://example.com/blog/post")
    composer.edit.paste()
    assert list(composer.chips.chips) == ["https://example.com/photo.jpg"]
    assert composer.edit.toPlainText() == "https://example.com/blog/post"


def test_a_chip_can_be_removed_and_is_sent_with_the_message(qtbot: Any) -> None:
    composer = _composer(qtbot)
    sent: list[Outgoing] = []
    composer.send_requested.connect(sent.append)
    composer.add_links(["https://example.com/a.png", "https://example.com/b.png"])
    composer.chips.chips["https://example.com/a.png"].findChild(
        type(composer.send), "ChipClose"
    ).click()
    assert composer.send.isEnabled()  # an attachment alone can be sent
    composer.submit()
    assert [a.url for a in sent[0].attachments] == ["https://example.com/b.png"]
    assert sent[0].text == "" and not composer.chips.chips


def test_chips_show_what_the_head_probe_found(qtbot: Any, qloop: qasync.QEventLoop) -> None:
    async def photo(_request: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG" + b"0" * 2044, content_type="image/png")

    async def body() -> None:
        app = web.Application()
        app.router.add_route("*", "/photo.png", photo)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        base = f"http://127.0.0.1:{runner.addresses[0][1]}"
        prober = AttachmentProber(timeout=5.0)
        try:
            composer = _composer(qtbot, prober)
            composer.add_links([f"{base}/photo.png", f"{base}/gone.png", "ftp://example.com/x"])
            chips = composer.chips.chips
            await wait_for(
                lambda: all(c.state != "checking" for c in chips.values()), what="probes"
            )
            assert chips[f"{base}/photo.png"].state == "ok"
            assert chips[f"{base}/photo.png"].detail.text() == "image/png · 2.0 KB"
            assert chips[f"{base}/gone.png"].state == "warning"
            assert "404" in chips[f"{base}/gone.png"].detail.text()
            assert chips["ftp://example.com/x"].state == "error"
            assert not composer.send.isEnabled()  # something that is not a link cannot be sent
            composer.chips.remove("ftp://example.com/x")
            assert composer.send.isEnabled()
            assert composer.chips.attachments()[0].mime_type == "image/png"
        finally:
            await prober.aclose()
            await runner.cleanup()
            await asyncio.sleep(0)

    qloop.run_until_complete(body())


def test_the_paperclip_asks_for_a_link(qtbot: Any) -> None:
    composer = _composer(qtbot)
    composer.attach.click()
    dialog = composer.findChild(QInputDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.setTextValue("  https://example.com/deck.key ")
    dialog.accept()
    assert list(composer.chips.chips) == ["https://example.com/deck.key"]
