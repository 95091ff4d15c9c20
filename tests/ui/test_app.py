"""The real app on the in-process sandbox: first run, live sends, replies, reactions, search, drop.

These drive the real widgets (composer, thread, sidebar) on a qasync loop, with the sandbox, the
webhook listener, the store and every service running exactly as they do for a user.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import qasync
from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from blooio_desktop.app import DesktopApp, GuiOptions
from blooio_desktop.core.models import Direction, Message
from blooio_desktop.core.status import MessageStatus
from blooio_desktop.ui.main_window import MainWindow
from blooio_desktop.ui.thread.layout import BubbleLayout
from blooio_desktop.ui.thread.panel import ThreadPanel
from tests.ui.conftest import drop_on, wait_for

SPEED = 50.0


@asynccontextmanager
async def running_app(qapp: QApplication) -> AsyncIterator[DesktopApp]:
    app = DesktopApp(qapp, GuiOptions(sandbox_speed=SPEED))
    run = asyncio.ensure_future(app.run())
    try:
        await wait_for(
            lambda: app.window is not None and app.window.chat_model.rowCount() >= 3, 30, "sync"
        )
        assert app.context is not None
        await wait_for(lambda: app.context.connectivity.state.phase == "verified", 15, "webhooks")
        await world(app, ambient=False)  # no surprise chats while a test watches one
        yield app
    finally:
        app.quit()
        assert await asyncio.wait_for(run, 30) == 0


@asynccontextmanager
async def open_chat_in_running_app(
    qapp: QApplication,
) -> AsyncIterator[tuple[DesktopApp, MainWindow, str]]:
    """The running app, its window, and the one-to-one chat opened in it."""
    async with running_app(qapp) as app:
        assert app.window is not None
        yield app, app.window, open_one_to_one(app.window)


async def world(app: DesktopApp, **settings: Any) -> None:
    await control(app, "PUT", "world", settings)


async def control(app: DesktopApp, method: str, path: str, body: Any) -> Any:
    """Drive the sandbox like the other side of the conversation would (its /_sandbox/ endpoints)."""
    assert app.context is not None and app.context.sandbox is not None
    async with httpx.AsyncClient() as http:
        res = await http.request(
            method, f"{app.context.sandbox.root_url}/_sandbox/{path}", json=body
        )
        res.raise_for_status()
        return res.json()


def open_one_to_one(window: MainWindow) -> str:
    model = window.chat_model
    chat_id = next(
        model.item(r).chat.id for r in range(model.rowCount()) if not model.item(r).chat.is_group
    )
    assert window.sidebar.select_chat(chat_id)
    assert window.thread_panel.chat_id == chat_id
    return chat_id


def rows(window: MainWindow) -> list[Message]:
    model = window.thread_panel.model
    return [model.message(r) for r in range(model.rowCount())]


def find(window: MainWindow, text: str) -> Message | None:
    return next((m for m in rows(window) if m.text == text), None)


def send(window: MainWindow, text: str) -> Callable[[], Message | None]:
    """Type `text` in the open chat and send it; returns a reader of its bubble (None until shown)."""
    window.thread_panel.composer.edit.setPlainText(text)
    window.thread_panel.composer.submit()
    return lambda: find(window, text)


async def until_accepted(sent: Callable[[], Message | None]) -> None:
    await wait_for(lambda: (m := sent()) is not None and m.status.rank >= 2, 20, "accepted")


def bubble_layout(window: MainWindow, message: Message) -> BubbleLayout | None:
    """How the delegate lays out `message`'s bubble right now: what gets painted."""
    view, model = window.thread_panel.view, window.thread_panel.model
    index = model.index(model.row_of(message.message_id), 0)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    option.rect = view.visualRect(index)
    return view.bubbles.row_layout(option, index)


def test_first_run_opens_on_the_sandbox_and_a_send_goes_all_the_way(
    qapp: QApplication, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        async with open_chat_in_running_app(qapp) as (app, window, chat_id):
            assert app.context is not None
            assert app.context.is_sandbox and window.banner.isVisible()
            assert "Sandbox" in window.windowTitle()
            before = len(rows(window))

            mine = send(window, "Testing the whole path!")
            await wait_for(lambda: mine() is not None, what="the optimistic bubble")
            assert mine().message_id.startswith("local:")  # shown at once, before any HTTP answer
            await wait_for(lambda: not mine().message_id.startswith("local:"), what="server id")
            await wait_for(lambda: mine().status == MessageStatus.READ, 20, "read receipt")
            # The bot answers and loves our message, live through the webhook listener.
            await wait_for(lambda: rows(window)[-1].direction == Direction.INBOUND, 20, "bot reply")
            await wait_for(
                lambda: any(r.is_added for r in mine().reactions), 20, "a tapback"
            )  # "!" → love
            layout = bubble_layout(window, mine())
            assert layout is not None and layout.reactions is not None  # the pill is painted
            assert len(rows(window)) >= before + 2
            assert window.chat_model.item(0).chat.id == chat_id  # the chat moved to the top

    qloop.run_until_complete(body())


def test_a_dropped_link_is_sent_as_an_attachment_and_search_jumps_to_it(
    qapp: QApplication, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        async with open_chat_in_running_app(qapp) as (_app, window, _chat_id):
            composer = window.thread_panel.composer
            mime = QMimeData()
            mime.setUrls([QUrl("https://example.com/files/quarterly-zebra.pdf")])
            drop_on(composer.edit.viewport(), mime)
            assert list(composer.chips.chips) == ["https://example.com/files/quarterly-zebra.pdf"]
            sent = send(window, "Quarterly zebra report attached")
            await until_accepted(sent)
            assert [a.url for a in sent().attachments] == [
                "https://example.com/files/quarterly-zebra.pdf"
            ]

            # Search from another chat: the FTS hit opens the chat and scrolls to the message.
            window.sidebar.step(1)
            window.sidebar.search.setText("zebra repo")
            window.sidebar._run_search()
            hits = window.hit_model
            assert hits.rowCount() >= 1
            window.sidebar.hit_view.clicked.emit(hits.index(0, 0))
            assert window.thread_panel.chat_id == sent().chat_id
            row = window.thread_panel.model.row_of(sent().message_id)
            assert row >= 0
            rect = window.thread_panel.view.visualRect(window.thread_panel.model.index(row, 0))
            assert window.thread_panel.view.viewport().rect().intersects(rect)

    qloop.run_until_complete(body())


def test_a_failed_send_shows_retry_and_retry_delivers_it(
    qapp: QApplication, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        async with open_chat_in_running_app(qapp) as (app, window, chat_id):
            await world(app, unreachable=[chat_id])
            failed = send(window, "Into the void")
            await wait_for(
                lambda: failed() is not None and failed().status == MessageStatus.FAILED,
                20,
                "failure",
            )
            view = window.thread_panel.view
            layout = bubble_layout(window, failed())
            assert (
                layout is not None and layout.retry is not None
            )  # "Not delivered · Retry" is painted
            await world(app, unreachable=[])
            retried: list[str] = []
            view.retry_requested.connect(retried.append)
            click = layout.retry.topRight() + QPointF(-3, layout.retry.height() / 2)
            view.mouseReleaseEvent(_release(click.toPoint()))
            assert retried == [failed().message_id]
            await wait_for(
                lambda: any(m.text == "Into the void" and m.status.rank >= 3 for m in rows(window)),
                20,
                "delivered",
            )

    qloop.run_until_complete(body())


def test_unread_counts_new_message_button_and_mark_read(
    qapp: QApplication, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        async with open_chat_in_running_app(qapp) as (app, window, chat_id):
            model = window.chat_model
            other = next(
                model.item(r).chat.id
                for r in range(model.rowCount())
                if model.item(r).chat.id != chat_id and not model.item(r).chat.is_group
            )
            await control(app, "POST", "inbound", {"from": other, "text": "Psst, over here"})
            await wait_for(
                lambda: model.item(model.row_of(other)).unread_count == 1, 10, "unread badge"
            )
            assert model.row_of(other) == 0  # newest activity on top

            # Reading history (scrolled up) while a message arrives: counted, not yanked down.
            view = window.thread_panel.view
            await control(app, "POST", "inbound", {"from": chat_id, "text": "filler " * 80})
            await control(app, "POST", "inbound", {"from": chat_id, "text": "more filler " * 80})
            await wait_for(lambda: find(window, "more filler " * 80) is not None, 10, "filler")
            await asyncio.sleep(0.1)
            view.verticalScrollBar().setValue(0)
            await control(app, "POST", "inbound", {"from": chat_id, "text": "Are you there?"})
            await wait_for(lambda: view.unseen == 1, 10, "the new-messages count")
            assert view.jump_button.isVisible() and "1 new message" in view.jump_button.text()
            view.jump_button.click()
            await wait_for(lambda: view.at_bottom() and not view.jump_button.isVisible(), 5, "jump")

            # Opening the other chat marks it read (locally and on Blooio).
            window.sidebar.select_chat(other)
            await wait_for(
                lambda: model.item(model.row_of(other)).unread_count == 0, 10, "marked read"
            )

    qloop.run_until_complete(body())


def _release(pos: QPoint) -> QMouseEvent:
    return QMouseEvent(
        QMouseEvent.Type.MouseButtonRelease,
        QPointF(pos),
        QPointF(pos),
        Qt.MouseButton.LeftButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )


def test_sending_number_per_chat_and_a_tapback_from_the_context_menu(
    qapp: QApplication, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        async with open_chat_in_running_app(qapp) as (app, window, chat_id):
            header = window.thread_panel.header
            await wait_for(lambda: header.from_box.count() == 2, 10, "the sandbox's two numbers")
            assert header.from_box.isVisibleTo(window) and window.sidebar.numbers.isVisibleTo(
                window
            )
            second = header.from_box.itemData(1)
            header.from_box.activated.emit(1)
            model = window.chat_model
            await wait_for(
                lambda: model.item(model.row_of(chat_id)).from_number == second, 5, "saved"
            )

            sent = send(window, "From my other number")
            await until_accepted(sent)
            state = await control(app, "GET", "state", None)
            truth = next(m for m in state["messages"] if m["message_id"] == sent().message_id)
            assert truth["internal_id"] == second

            # Right-click → React → Like, and the server has our tapback.
            inbound = next(m for m in reversed(rows(window)) if m.direction == Direction.INBOUND)
            menu = window.thread_panel.view.build_menu(inbound)
            react = next(a.menu() for a in menu.actions() if a.text() == "React")
            like = next(a for a in react.actions() if a.text().endswith("Like"))
            like.trigger()

            async def liked() -> bool:
                state = await control(app, "GET", "state", None)
                found = next(m for m in state["messages"] if m["message_id"] == inbound.message_id)
                return any(
                    r["reaction"] == "like" and r.get("is_added", True)
                    for r in found.get("reactions", [])
                )

            for _ in range(100):
                if await liked():
                    break
                await asyncio.sleep(0.05)
            assert await liked()

    qloop.run_until_complete(body())


class FirstPaintSpy(QObject):
    """What was already running, and built, when the main window first painted: the listener's
    phase, and whether the tray, the conversation panel and the docks existed."""

    def __init__(self, app: DesktopApp) -> None:
        super().__init__()
        self.app = app
        self.seen: tuple[str, bool, bool, bool] | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        window, context = self.app.window, self.app.context
        if (
            self.seen is None
            and event.type() == QEvent.Type.Paint
            and watched is window
            and window is not None
            and context is not None
            and context.connectivity is not None
        ):
            self.seen = (
                context.connectivity.state.phase,
                window.tray is not None,
                window.conversation.findChild(ThreadPanel) is not None,
                hasattr(window, "outbox_dock"),
            )
        return False


def test_the_window_paints_from_the_cache_before_any_network_work_starts(
    qapp: QApplication, qloop: qasync.QEventLoop
) -> None:
    async def body() -> None:
        app = DesktopApp(qapp, GuiOptions(sandbox_speed=SPEED))
        spy = FirstPaintSpy(app)
        qapp.installEventFilter(spy)
        run = asyncio.ensure_future(app.run())
        try:
            await wait_for(lambda: spy.seen is not None, 30, "the first paint")
            # The chat list alone: no listener, tunnel, webhook, tray count, conversation or docks
            assert spy.seen == ("stopped", False, False, False)
            assert app.context is not None and app.context.connectivity is not None
            connectivity = app.context.connectivity
            await wait_for(lambda: connectivity.state.phase == "verified", 15, "webhooks")
            window = app.window
            assert window is not None and window.tray is not None
            # The rest of the window came right after the paint, by itself (nothing asked for it).
            panel = window.conversation.findChild(ThreadPanel)
            assert panel is window.thread_panel and panel.empty.isVisible()
            assert window.outbox_dock.toggleViewAction() in window.view_menu.actions()
            assert window.connectivity_widget.isVisible()
            open_one_to_one(window)  # and it works: the chat opens, ready to type in
            assert panel.composer.edit.hasFocus()
        finally:
            qapp.removeEventFilter(spy)
            app.quit()
            assert await asyncio.wait_for(run, 30) == 0

    qloop.run_until_complete(body())


def test_a_link_from_the_desktop_opens_its_chat_ready_to_send(
    qapp: QApplication, qloop: qasync.QEventLoop
) -> None:
    """`blooio-desktop sms:…` (a clicked link), then a later launch's link handed over."""

    async def body() -> None:
        link = "sms:+15557770123?body=Hello%20from%20a%20link"
        app = DesktopApp(qapp, GuiOptions(sandbox_speed=SPEED, link=link))
        run = asyncio.ensure_future(app.run())
        try:
            await wait_for(
                lambda: (
                    app.window is not None and app.window.thread_panel.chat_id == "+15557770123"
                ),
                30,
                "the link's chat",
            )
            window = app.window
            assert window is not None
            composer = window.thread_panel.composer
            assert composer.edit.toPlainText() == "Hello from a link"
            composer.submit()
            await until_accepted(lambda: find(window, "Hello from a link"))
            app.open_link("smsto:+15557770124:Second")
            assert window.thread_panel.chat_id == "+15557770124"
            assert composer.edit.toPlainText() == "Second"
        finally:
            app.quit()
            assert await asyncio.wait_for(run, 30) == 0

    qloop.run_until_complete(body())
