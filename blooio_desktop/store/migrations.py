"""Ordered schema migrations, tracked with `PRAGMA user_version`.

Each step runs in its own transaction together with its `user_version` bump, so a crash mid-migration
leaves the file at the previous, consistent version. Never edit a released step: append a new one.
"""

from __future__ import annotations

import sqlite3

from blooio_desktop.core.errors import StoreError

V1_CORE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TABLE contacts (
  identifier TEXT PRIMARY KEY, contact_id TEXT, name TEXT, type TEXT NOT NULL DEFAULT 'phone',
  created_at INTEGER, last_message_time INTEGER, tags_json TEXT NOT NULL DEFAULT '[]');

CREATE TABLE chats (
  id TEXT PRIMARY KEY, type TEXT NOT NULL DEFAULT 'phone', is_group INTEGER NOT NULL DEFAULT 0,
  group_id TEXT, group_name TEXT, member_count INTEGER,
  contact_identifier TEXT, contact_id TEXT, contact_name TEXT,
  message_count INTEGER NOT NULL DEFAULT 0, inbound_count INTEGER NOT NULL DEFAULT 0,
  outbound_count INTEGER NOT NULL DEFAULT 0,
  first_message_time INTEGER, last_message_time INTEGER, last_inbound_time INTEGER,
  last_outbound_time INTEGER,
  last_message_id TEXT, last_message_text TEXT, last_message_direction TEXT, last_message_sent INTEGER,
  -- what only this device knows
  pinned INTEGER NOT NULL DEFAULT 0, muted INTEGER NOT NULL DEFAULT 0, from_number TEXT, draft TEXT,
  last_read_at INTEGER NOT NULL DEFAULT 0, protocol TEXT NOT NULL DEFAULT 'unknown');

CREATE TABLE messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL UNIQUE,
  chat_id TEXT NOT NULL REFERENCES chats(id) ON DELETE CASCADE,
  direction TEXT NOT NULL, text TEXT, sender TEXT,
  time_sent INTEGER, time_delivered INTEGER, status TEXT NOT NULL,
  protocol TEXT NOT NULL DEFAULT 'unknown', error TEXT, external_id TEXT, internal_id TEXT,
  reply_to_message_id TEXT, reply_to_guid TEXT, reply_to_part INTEGER,
  sort_time INTEGER NOT NULL,
  is_local INTEGER NOT NULL DEFAULT 0);
CREATE INDEX messages_chat_sort ON messages(chat_id, sort_time DESC, message_id DESC);
CREATE INDEX messages_unread ON messages(chat_id, direction, sort_time);

CREATE TABLE attachments (
  message_rowid INTEGER NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, url TEXT NOT NULL, name TEXT, mime_type TEXT, size INTEGER,
  PRIMARY KEY (message_rowid, position));

-- No foreign key: a reaction may arrive (webhook) before the message it targets.
CREATE TABLE reactions (
  message_id TEXT NOT NULL, sender TEXT NOT NULL DEFAULT '', reaction TEXT NOT NULL,
  is_added INTEGER NOT NULL, time_sent INTEGER,
  PRIMARY KEY (message_id, sender, reaction));

CREATE TABLE groups (
  group_id TEXT PRIMARY KEY, name TEXT, chat_guid TEXT, icon_url TEXT,
  member_count INTEGER NOT NULL DEFAULT 0, message_count INTEGER NOT NULL DEFAULT 0,
  last_message_text TEXT, last_message_time INTEGER, last_message_direction TEXT, created_at INTEGER);

CREATE TABLE group_members (
  group_id TEXT NOT NULL REFERENCES groups(group_id) ON DELETE CASCADE,
  identifier TEXT NOT NULL, contact_id TEXT, name TEXT, added_at INTEGER,
  PRIMARY KEY (group_id, identifier));

CREATE TABLE outbox (
  idempotency_key TEXT PRIMARY KEY, chat_id TEXT NOT NULL, text TEXT,
  attachments_json TEXT NOT NULL DEFAULT '[]', from_number TEXT, reply_to TEXT,
  state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at REAL, last_error TEXT,
  created_at REAL NOT NULL, local_message_id TEXT NOT NULL, server_message_id TEXT);
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
"""

V2_SEARCH = """
CREATE VIRTUAL TABLE messages_fts USING fts5(
  text, content='messages', content_rowid='id',
  tokenize='unicode61 remove_diacritics 2', prefix='2 3');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.text IS NOT NULL BEGIN
  INSERT INTO messages_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.text IS NOT NULL BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text ON messages BEGIN
  INSERT INTO messages_fts(messages_fts, rowid, text)
    SELECT 'delete', old.id, old.text WHERE old.text IS NOT NULL;
  INSERT INTO messages_fts(rowid, text) SELECT new.id, new.text WHERE new.text IS NOT NULL;
END;
-- Index what older versions already stored.
INSERT INTO messages_fts(rowid, text) SELECT id, text FROM messages WHERE text IS NOT NULL;
"""

V3_INSPECTOR = """
CREATE TABLE webhook_deliveries (
  id INTEGER PRIMARY KEY AUTOINCREMENT, received_at REAL NOT NULL, method TEXT NOT NULL, path TEXT NOT NULL,
  headers_json TEXT NOT NULL, body BLOB NOT NULL, verdict TEXT NOT NULL, response_status INTEGER NOT NULL,
  response_body TEXT NOT NULL DEFAULT '', event TEXT, message_id TEXT, processing_ms REAL, delay_ms REAL,
  replay_of INTEGER REFERENCES webhook_deliveries(id) ON DELETE SET NULL, note TEXT);
CREATE TABLE forward_attempts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  target_url TEXT NOT NULL, status INTEGER, error TEXT, duration_ms REAL, attempted_at REAL NOT NULL);
CREATE INDEX webhook_deliveries_received_at ON webhook_deliveries(received_at);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries(event);
CREATE INDEX webhook_deliveries_verdict ON webhook_deliveries(verdict);
CREATE INDEX webhook_deliveries_message_id ON webhook_deliveries(message_id);
CREATE INDEX forward_attempts_delivery ON forward_attempts(delivery_id);
"""

# A failed message the user sent again as a new send (new key): kept, but hidden from every view.
# Only this device knows it, so message upserts never write the column.
V4_SUPERSEDED = """
ALTER TABLE messages ADD COLUMN superseded_by TEXT;
"""

# The sender takes pending items oldest first: walk them in that order and stop at the limit, instead
# of sorting every pending item on each claim (a burst of 2,000 sends made each claim O(n)).
V5_OUTBOX_ORDER = """
CREATE INDEX outbox_pending_order ON outbox(state, created_at, idempotency_key);
"""

# The chat list's order key — newest shown message — kept on the chat by triggers, so ordering 10k
# chats reads one index instead of looking up every chat's newest message (~40 ms at start-up).
# A message counts once it is shown: not superseded (a failed send the user sent again).
V6_CHAT_ACTIVITY = """
ALTER TABLE chats ADD COLUMN activity_time INTEGER;
UPDATE chats SET activity_time = (
  SELECT max(sort_time) FROM messages WHERE chat_id = chats.id AND superseded_by IS NULL);
CREATE INDEX chats_list_order ON chats(
  pinned DESC, max(COALESCE(last_message_time, 0), COALESCE(activity_time, 0)) DESC, id);
CREATE TRIGGER messages_activity_insert AFTER INSERT ON messages
WHEN new.superseded_by IS NULL BEGIN
  UPDATE chats SET activity_time = max(COALESCE(activity_time, 0), new.sort_time)
  WHERE id = new.chat_id;
END;
CREATE TRIGGER messages_activity_update AFTER UPDATE OF sort_time, superseded_by ON messages BEGIN
  UPDATE chats SET activity_time = (
    SELECT max(sort_time) FROM messages WHERE chat_id = new.chat_id AND superseded_by IS NULL)
  WHERE id = new.chat_id;
END;
CREATE TRIGGER messages_activity_delete AFTER DELETE ON messages BEGIN
  UPDATE chats SET activity_time = (
    SELECT max(sort_time) FROM messages WHERE chat_id = old.chat_id AND superseded_by IS NULL)
  WHERE id = old.chat_id;
END;
"""

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, V1_CORE),
    (2, V2_SEARCH),
    (3, V3_INSPECTOR),
    (4, V4_SUPERSEDED),
    (5, V5_OUTBOX_ORDER),
    (6, V6_CHAT_ACTIVITY),
)
LATEST_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, *, target: int = LATEST_VERSION) -> list[int]:
    """Apply every step above the file's version up to `target`; return the versions applied.

    `conn` must be in autocommit mode (isolation_level=None) so each step controls its own transaction.
    """
    current = schema_version(conn)
    if current > LATEST_VERSION:
        raise StoreError(
            f"This message database was written by a newer Blooio Desktop (schema {current}, "
            f"this version knows up to {LATEST_VERSION}). Update the app to open it.",
            kind=StoreError.OTHER,
        )
    applied: list[int] = []
    for version, script in MIGRATIONS:
        if version <= current or version > target:
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version:d}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(version)
    return applied


def _statements(script: str) -> list[str]:
    """Split a migration script into complete statements (executescript would COMMIT on its own)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.lstrip().startswith("--") and not buffer.strip():
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
