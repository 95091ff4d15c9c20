"""The whole app when its database fails: damaged, locked, read-only, or the disk fills up.

Real `DesktopApp` on the in-process sandbox, real SQLite files under the test's app home. What a
user must see: one specific dialog (never a traceback), nothing already stored lost, the history
still readable when the file cannot be written, and a send on a full disk refused inline with the
typed text kept.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication

from blooio_desktop.app import DesktopApp, GuiOptions
from blooio_desktop.config.paths import AppPaths
from blooio_desktop.core.errors import StoreError
from blooio_desktop.core.models import Direction
from blooio_desktop.session import database_path
from blooio_desktop.store import Database, MessageRepository
from blooio_desktop.store.errors import FULL_MESSAGE
from blooio_desktop.ui.composer.composer import Composer, Outgoing
from blooio_desktop.ui.dialogs.store_error_dialog import StoreErrorChoice, StoreErrorDialog
from tests.ui.conftest import message, seed, wait_for
from tests.ui.test_app import SPEED, find, open_one_to_one, running_app

ALICE = "+15550000001"
BOB = "+15550000002"


@pytest.fixture
def db_path() -> Path:
    """Where the app keeps the sandbox account's messages (under the per-test app home)."""
    return database_path(AppPaths.default(), None)


def stored_history(path: Path) -> None:
    """A database as an earlier run left it: two chats, Alice's with five messages."""
    db = Database.open(path)
    try:
        alice = [
            message(ALICE, n, direction=Direction.OUTBOUND if n % 2 else Direction.INBOUND)
            for n in range(1, 6)
        ]
        seed(db, {ALICE: ("Alice Martin", alice), BOB: ("Bob Stone", [message(BOB, 1)])})
    finally:
        db.close()


@asynccontextmanager
async def started(qapp: QApplication) -> AsyncIterator[tuple[DesktopApp, asyncio.Future[int]]]:
    """`DesktopApp.run()` in the background; always quit and awaited at the end."""
    app = DesktopApp(qapp, GuiOptions(sandbox_speed=SPEED))
    run = asyncio.ensure_future(app.run())
    try:
        yield app, run
    finally:
        app.quit()
        assert await asyncio.wait_for(run, 30) == 0


async def dialog_of(app: DesktopApp) -> StoreErrorDialog:
    await wait_for(
        lambda: app.store_dialog is not None and app.store_dialog.isVisible(), 15, "the dialog"
    )
    assert app.store_dialog is not None
    return app.store_dialog


def test_a_damaged_database_is_moved_aside_and_rebuilt_from_blooio(
    qapp: QApplication, qloop: qasync.QEventLoop, db_path: Path
) -> None:
    stored_history(db_path)
    data = bytearray(db_path.read_bytes())
    data[0:16] = b"garbage garbage!"  # the SQLite header: "not a database"
    db_path.write_bytes(bytes(data))
    damaged = bytes(data)

    async def body() -> None:
        async with started(qapp) as (app, _run):
            dialog = await dialog_of(app)
            assert app.window is None  # nothing runs on a file it cannot trust
            assert dialog.windowTitle() == "Message database damaged"
            assert "The message database is damaged (file is not a database)" in dialog.text()
            assert set(dialog.choices) == {StoreErrorChoice.REBUILD, StoreErrorChoice.QUIT}
            assert dialog.choices[StoreErrorChoice.REBUILD].text() == (
                "Move it aside and rebuild from Blooio"
            )

            dialog.choices[StoreErrorChoice.REBUILD].click()

            await wait_for(
                lambda: app.window is not None and app.window.chat_model.rowCount() >= 3,
                30,
                "the history downloaded again",
            )
            assert app.context is not None and not app.context.db.read_only
            moved = list(db_path.parent.glob(f"{db_path.name}.damaged-*"))
            assert len(moved) == 1 and moved[0].read_bytes() == damaged  # kept, byte for byte

    qloop.run_until_complete(body())


def test_quit_from_the_dialog_ends_the_app_and_touches_nothing(
    qapp: QApplication, qloop: qasync.QEventLoop, db_path: Path
) -> None:
    stored_history(db_path)
    db_path.write_bytes(b"garbage garbage!" + db_path.read_bytes()[16:])
    damaged = db_path.read_bytes()

    async def body() -> None:
        async with started(qapp) as (app, run):
            dialog = await dialog_of(app)
            dialog.choices[StoreErrorChoice.QUIT].click()
            assert await asyncio.wait_for(asyncio.shield(run), 30) == 0
            assert app.window is None

    qloop.run_until_complete(body())
    assert db_path.read_bytes() == damaged
    assert not list(db_path.parent.glob("*.damaged-*"))


def test_a_database_locked_by_another_program_can_be_retried(
    qapp: QApplication, qloop: qasync.QEventLoop, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored_history(db_path)
    real_open = Database.open

    def impatient(path: Path | str, **kwargs: Any) -> Database:
        return real_open(path, **{**kwargs, "busy_timeout_s": 0.05})  # not 5 s per attempt

    monkeypatch.setattr(Database, "open", impatient)
    other = sqlite3.connect(db_path, isolation_level=None)  # e.g. a database browser
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")

    async def body() -> None:
        async with started(qapp) as (app, _run):
            dialog = await dialog_of(app)
            assert dialog.windowTitle() == "Message database in use"
            assert "another Blooio Desktop, or by another program" in dialog.text()
            assert set(dialog.choices) == {StoreErrorChoice.RETRY, StoreErrorChoice.QUIT}
            dialog.choices[StoreErrorChoice.RETRY].click()  # still locked: asked again
            again = await dialog_of(app)
            assert again is not dialog and again.windowTitle() == "Message database in use"

            other.execute("COMMIT")
            other.close()
            again.choices[StoreErrorChoice.RETRY].click()
            await wait_for(lambda: app.window is not None, 15, "the window")
            assert app.window is not None and app.window.chat_model.row_of(ALICE) >= 0

    try:
        qloop.run_until_complete(body())
    finally:
        other.close()


def test_a_full_disk_at_start_up_can_still_show_the_history_read_only(
    qapp: QApplication, qloop: qasync.QEventLoop, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored_history(db_path)
    real_open = Database.open

    def on_a_full_disk(path: Path | str, **kwargs: Any) -> Database:
        if not kwargs.get("read_only"):  # what opening for writing raises with no space left
            raise StoreError(FULL_MESSAGE, kind=StoreError.FULL)
        return real_open(path, **kwargs)

    monkeypatch.setattr(Database, "open", on_a_full_disk)

    async def body() -> None:
        async with started(qapp) as (app, _run):
            dialog = await dialog_of(app)
            assert dialog.windowTitle() == "Disk full" and dialog.text() == FULL_MESSAGE
            assert "new messages are not saved" in dialog.informativeText()
            assert set(dialog.choices) == {StoreErrorChoice.READ_ONLY, StoreErrorChoice.QUIT}
            dialog.choices[StoreErrorChoice.READ_ONLY].click()
            await wait_for(lambda: app.window is not None, 15, "the window")
            window = app.window
            assert window is not None and app.context is not None and app.context.db.read_only
            assert window.chat_model.row_of(ALICE) >= 0  # the history is there
            assert window.read_only_banner.isVisibleTo(window)
            window.sidebar.select_chat(ALICE)
            assert not window.thread_panel.composer.isEnabled()

    qloop.run_until_complete(body())


def test_any_other_failure_is_explained_with_only_quit_and_closing_means_quit(
    qapp: QApplication, qloop: qasync.QEventLoop, db_path: Path
) -> None:
    full = StoreError(FULL_MESSAGE, kind=StoreError.FULL)

    async def body() -> None:
        dialog = StoreErrorDialog(full, db_path)
        choice = asyncio.ensure_future(dialog.choose())
        await wait_for(dialog.isVisible, what="the dialog")
        assert dialog.windowTitle() == "Cannot open the message database"
        assert dialog.text() == FULL_MESSAGE and str(db_path) in dialog.informativeText()
        assert set(dialog.choices) == {StoreErrorChoice.QUIT}
        dialog.reject()  # Escape, or the window's close button
        assert await asyncio.wait_for(choice, 5) is StoreErrorChoice.QUIT
        dialog.deleteLater()

    qloop.run_until_complete(body())


def refuse_writing(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make `path` unwritable for the store, as file permissions would (we run as root, where
    chmod does not stop writes): opening it for writing fails with EACCES, as in tests/store."""
    real_open = os.open

    def guarded(target: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(target) == path and flags & (os.O_RDWR | os.O_WRONLY):
            raise PermissionError(13, "Permission denied", str(target))
        return real_open(target, flags, *args, **kwargs)

    monkeypatch.setattr("blooio_desktop.store.database.os.open", guarded)


def test_a_read_only_database_shows_its_history_a_banner_and_a_disabled_composer(
    qapp: QApplication, qloop: qasync.QEventLoop, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored_history(db_path)
    refuse_writing(db_path, monkeypatch)

    async def body() -> None:
        async with started(qapp) as (app, _run):
            await wait_for(lambda: app.window is not None, 15, "the window")
            window = app.window
            assert window is not None and app.context is not None
            shown: list[str] = []
            window.sync_widget.message_shown.connect(shown.append)
            assert app.context.db.read_only and app.store_dialog is None
            banner = window.read_only_banner
            assert banner.isVisible()
            assert "new messages can't be saved" in banner.title.text()
            assert "Permission denied" in banner.detail.text()

            assert window.sidebar.select_chat(ALICE)  # the history is all there
            panel = window.thread_panel
            texts = [panel.model.message(r).text for r in range(panel.model.rowCount())]
            assert texts == [f"message {n}" for n in range(1, 6)]
            composer = panel.composer
            assert not composer.isEnabled()
            assert "read-only" in composer.toolTip() and "Permission denied" in composer.toolTip()
            assert "Read-only" in composer.edit.placeholderText()

            # The sync cannot save what it downloads: the status bar says so, nothing crashes.
            shown.append(window.statusBar().currentMessage())  # in case it came first
            reported = lambda: [m for m in shown if "Could not save the history" in m]  # noqa: E731
            await wait_for(reported, 20, "the report")
            assert "read-only" in reported()[0]

    qloop.run_until_complete(body())
    with sqlite3.connect(db_path) as conn:  # untouched: still the six messages it had
        assert conn.execute("SELECT count(*) FROM messages").fetchone()[0] == 6


def fill_the_disk(db: Database) -> None:
    """No new page may be added to the file any more (as tests/store does)."""
    pages = db.read().execute("PRAGMA page_count").fetchone()[0]
    with db.transaction() as conn:
        conn.execute(f"PRAGMA max_page_count = {pages}")


def free_space(db: Database) -> None:
    with db.transaction() as conn:
        conn.execute("PRAGMA max_page_count = 1073741823")


def test_a_send_on_a_full_disk_is_refused_inline_and_keeps_the_typed_text(
    qapp: QApplication, qloop: qasync.QEventLoop
) -> None:
    text = "A long story that will not fit. " * 3000  # ~100 KB: needs new pages

    async def body() -> None:
        async with running_app(qapp) as app:
            window = app.window
            assert window is not None and app.context is not None
            chat_id = open_one_to_one(window)
            stored = MessageRepository(app.context.db.read()).count()
            composer = window.thread_panel.composer
            fill_the_disk(app.context.db)

            composer.edit.setPlainText(text)
            composer.submit()
            await wait_for(composer.error.isVisible, 10, "the inline error")

            assert "Your disk is full" in composer.error.text()
            assert composer.edit.toPlainText() == text.strip()  # nothing typed is lost
            assert (
                composer.isEnabled() and composer.send.isEnabled() and composer.chat_id == chat_id
            )
            assert find(window, text.strip()) is None  # no phantom bubble for an unsaved send
            assert MessageRepository(app.context.db.read()).count() >= stored

            free_space(app.context.db)
            composer.submit()  # the same words, once there is room
            sent: Callable[[], Any] = lambda: find(window, text.strip())  # noqa: E731
            await wait_for(lambda: sent() is not None, 10, "the message")
            assert not composer.error.isVisible() and composer.edit.toPlainText() == ""

    qloop.run_until_complete(body())


# --- the composer's side of it, on its own ------------------------------------------------------
FULL = "Your disk is full: free some space; nothing already saved was lost."


def test_a_failed_send_gives_back_the_text_the_link_and_the_reply(qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.set_chat(ALICE)
    sent: list[Outgoing] = []
    drafts: list[tuple[str, str]] = []
    typing: list[bool] = []
    composer.send_requested.connect(sent.append)
    composer.draft_changed.connect(lambda chat, text: drafts.append((chat, text)))
    composer.typing.connect(lambda _chat, on: typing.append(on))
    composer.set_reply(message(ALICE, 7, text="Lunch?"))
    composer.add_links(["https://example.com/menu.pdf"])
    composer.edit.setPlainText("Yes, at noon")
    composer.submit()
    assert composer.edit.toPlainText() == "" and not composer.chips.chips
    typing.clear()

    composer.send_failed(sent[0], FULL)

    assert composer.error.isVisibleTo(composer) and composer.error.text() == FULL
    assert composer.edit.toPlainText() == "Yes, at noon"
    assert list(composer.chips.chips) == ["https://example.com/menu.pdf"]
    assert composer.reply_label.text() == "Replying to: Lunch?"
    assert composer.send.isEnabled() and typing == []  # given back, not typed: no indicator
    assert drafts[-1] == (ALICE, "Yes, at noon")


def test_a_failed_send_to_a_chat_the_user_left_becomes_its_draft(qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.set_chat(ALICE)
    drafts: list[tuple[str, str]] = []
    composer.draft_changed.connect(lambda chat, text: drafts.append((chat, text)))
    composer.set_chat(BOB, draft="for Bob")

    composer.send_failed(Outgoing(chat_id=ALICE, text="for Alice"), FULL)

    assert drafts[-1] == (ALICE, "for Alice")
    assert composer.edit.toPlainText() == "for Bob" and composer.error.text() == FULL


def test_a_read_only_composer_stays_disabled_whichever_chat_is_open(qtbot: Any) -> None:
    composer = Composer()
    qtbot.addWidget(composer)
    composer.set_read_only("The message database is read-only (Permission denied).")
    for chat_id in (ALICE, BOB, None):
        composer.set_chat(chat_id)
        assert not composer.isEnabled()
    assert composer.edit.toolTip() == "The message database is read-only (Permission denied)."
