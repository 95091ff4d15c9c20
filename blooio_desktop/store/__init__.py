"""The offline-first store: one SQLite file per account (stdlib sqlite3, no Qt).

`Database.open(path)` gives the file; repositories wrap one connection — `db.read()` for queries on the
loop thread, or the connection of `db.transaction()` / `await db.write(fn)` for writes — and return
core models. Writes return a `Changes` value naming exactly what they touched.
"""

from blooio_desktop.store.chats import ChatRepository
from blooio_desktop.store.contacts import ContactRepository
from blooio_desktop.store.database import Database
from blooio_desktop.store.groups import GroupRepository
from blooio_desktop.store.messages import MessageRepository
from blooio_desktop.store.meta import MetaRepository
from blooio_desktop.store.outbox import OutboxRepository
from blooio_desktop.store.search import HIGHLIGHT_END, HIGHLIGHT_START, SearchIndex

__all__ = [
    "HIGHLIGHT_END",
    "HIGHLIGHT_START",
    "ChatRepository",
    "ContactRepository",
    "Database",
    "GroupRepository",
    "MessageRepository",
    "MetaRepository",
    "OutboxRepository",
    "SearchIndex",
]
