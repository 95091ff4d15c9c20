"""Generated data sets (never downloaded): a message database of N chats and M messages.

The shape mimics a busy account: ten large threads (one of 100k messages, nine of 20k) and the rest
spread over thousands of small chats; text is drawn from a Zipf-weighted vocabulary of real and
made-up words, so full-text queries have realistic hit counts. Rows go in through the product's own
schema (`Database.open` migrates), so the FTS triggers index them exactly as in the app.

    python -m bench.datagen [--chats 10000] [--messages 1000000]   # → bench/data/db-10000x1000000.sqlite3
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.common import DATA_DIR
from blooio_desktop.store import Database

SEED = 20261201
START_MS = 1_700_000_000_000
COMMON = ["the", "be", "to", "of", "and", "a", "in", "that", "have", "i", "it", "for", "not", "on", "with", "he", "as", "you", "do", "at", "this", "but", "his", "by", "from", "they", "we", "say", "her", "she", "or", "an", "will", "my", "one", "all", "would", "there", "their", "what", "so", "up", "out", "if", "about", "who", "get", "which", "go", "me", "when", "make", "can", "like", "time", "no", "just", "him", "know", "take", "people", "into", "year", "your", "good", "some", "could", "them", "see", "other", "than", "then", "now", "look", "only", "come", "its", "over", "think", "also", "back", "after", "use", "two", "how", "our", "work", "first", "well", "way", "even", "new", "want", "because", "any", "these", "give", "day", "most", "us", "order", "ship", "ready", "thanks", "tomorrow", "meeting", "call", "later", "tonight", "lunch", "dinner", "photo", "invoice", "delivery", "package", "address", "weekend", "monday", "friday", "coffee", "train", "flight", "hotel", "ticket"]
SYLLABLES = ["ka", "lo", "mi", "ren", "tas", "vo", "pel", "dun", "sha", "rik", "mon", "tel", "bri", "zan", "fo", "gu", "lem", "pra", "sto", "vin"]
LARGE_THREADS = (100_000, *([20_000] * 9))


@dataclass(frozen=True)
class DataSet:
    path: Path
    chats: int
    messages: int

    @property
    def large_chats(self) -> list[str]:
        """The ten big threads, biggest (100k messages) first."""
        return [chat_id(n) for n in range(min(len(LARGE_THREADS), self.chats))]


def chat_id(n: int) -> str:
    return f"+1555{n:07d}"


def vocabulary(rng: random.Random, size: int = 5000) -> list[str]:
    """Common words first (they get the Zipf head), then pronounceable made-up words."""
    made: set[str] = set()
    while len(made) < size:
        made.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return [*COMMON, *sorted(made)]


def thread_sizes(chats: int, messages: int) -> list[int]:
    large = [n for n in LARGE_THREADS[:chats] if n <= messages // 2] or [messages // max(chats, 1)]
    rest = messages - sum(large)
    small = chats - len(large)
    if small <= 0:
        return large
    base, extra = divmod(rest, small)
    return large + [base + (1 if i < extra else 0) for i in range(small)]


def _texts(rng: random.Random, words: list[str], count: int) -> Iterator[str]:
    weights = [1 / (rank + 1) for rank in range(len(words))]
    pool = rng.choices(words, cum_weights=_cumulative(weights), k=count * 10)
    lengths = rng.choices(range(2, 19), k=count)
    pos = 0
    for length in lengths:
        yield " ".join(pool[pos : pos + length])
        pos = (pos + length) % (len(pool) - 20)


def _cumulative(weights: list[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def build(path: Path, chats: int, messages: int) -> DataSet:
    """Write the data set to `path` (replacing it); returns its description."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    rng = random.Random(SEED)
    words = vocabulary(rng)
    texts = _texts(rng, words, messages)
    db = Database.open(path)
    sizes = thread_sizes(chats, messages)
    serial = 0
    with db.transaction() as conn:
        for n, size in enumerate(sizes):
            cid = chat_id(n)
            rows = []
            t = START_MS + n * 1000
            for i in range(size):
                t += 30_000 + (i * 7919) % 600_000
                inbound = (i + n) % 3 != 0
                rows.append(
                    (
                        f"m{serial:08d}", cid, "inbound" if inbound else "outbound", next(texts),
                        cid if inbound else None, t, "received" if inbound else "delivered", "imessage",
                        cid, "+15550001111", t,
                    )
                )
                serial += 1
            last = rows[-1] if rows else None
            conn.execute(
                "INSERT INTO chats (id, type, contact_identifier, contact_name, message_count, "
                "last_message_time, last_message_id, last_message_text, last_message_direction, "
                "last_read_at, protocol) VALUES (?, 'phone', ?, ?, ?, ?, ?, ?, ?, ?, 'imessage')",
                (
                    cid, cid, f"{rng.choice(COMMON).title()} {rng.choice(words).title()}", size,
                    last[5] if last else None, last[0] if last else None, last[3] if last else None,
                    last[2] if last else None,
                    # most chats are read; every 200th has unread messages
                    (last[5] - 3_600_000) if last and n % 200 == 0 else (last[5] if last else 0),
                ),
            )
            conn.executemany(
                "INSERT INTO messages (message_id, chat_id, direction, text, sender, time_sent, status, "
                "protocol, external_id, internal_id, sort_time) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                rows,
            )
    db.close()
    return DataSet(path, chats, messages)


def ensure(chats: int = 10_000, messages: int = 1_000_000) -> DataSet:
    """The cached data set for this size, building it on first use."""
    path = DATA_DIR / f"db-{chats}x{messages}.sqlite3"
    done = path.with_suffix(".done")
    if not done.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        print(f"generating {path.name} ({chats:,} chats, {messages:,} messages)…", flush=True)
        build(path, chats, messages)
        done.write_text("ok\n")
        print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)
    return DataSet(path, chats, messages)


def copy_to(data: DataSet, target: Path) -> Path:
    """A private copy (benchmarks that open the app may write to the file), flushed to disk: else
    the run's first WAL checkpoint fsyncs the whole fresh copy (~0.2 s stall on 1M messages)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data.path, target)
    target.chmod(0o600)
    with target.open("rb+") as copy:
        os.fsync(copy.fileno())
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    args = parser.parse_args()
    print(ensure(args.chats, args.messages).path)


if __name__ == "__main__":
    main()
