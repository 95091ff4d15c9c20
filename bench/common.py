"""The benchmark harness: repeated runs, median/p99, a printed table and a JSON file with machine info.

Every benchmark measures our code and a peer in the same run, alternating them, so the headline figure
is a ratio that survives a noisy machine. Results go to `bench/results/<name>.json`.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "bench" / "results"
DATA_DIR = ROOT / "bench" / "data"


def percentile(samples: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100); p99 of fewer than 100 samples is the maximum."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True, slots=True)
class Stats:
    n: int
    median: float
    p99: float
    p1: float
    minimum: float
    maximum: float

    @classmethod
    def of(cls, samples: Sequence[float]) -> Stats:
        if not samples:
            return cls(0, math.nan, math.nan, math.nan, math.nan, math.nan)
        return cls(
            len(samples),
            statistics.median(samples),
            percentile(samples, 99),
            percentile(samples, 1),
            min(samples),
            max(samples),
        )

    def worst(self, higher_is_better: bool) -> float:
        """The tail that hurts: p99 of a time, p1 of a rate."""
        return self.p1 if higher_is_better else self.p99


@dataclass
class Row:
    """One line of a benchmark's table: our figure, the peer's, and whether the target is met."""

    metric: str
    unit: str
    ours: Stats
    peer: Stats | None = None
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def higher_is_better(self) -> bool:
        return self.unit.endswith("/s")

    @property
    def ratio(self) -> float | None:
        """How many times better we are (peer/ours for times, ours/peer for rates)."""
        if self.peer is None or not self.peer.median or not self.ours.median:
            return None
        if self.higher_is_better:
            return self.ours.median / self.peer.median
        return self.peer.median / self.ours.median


@dataclass
class Report:
    name: str
    title: str
    rows: list[Row] = field(default_factory=list)
    params: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row

    def table(self) -> str:
        """A Markdown table (pasted into docs/benchmarks.md as is). For rates the p99 column is the
        slowest 1 %, i.e. the 1st percentile."""
        lines = [
            "| metric | ours median | ours p99 | peer median | peer p99 | ratio (>1: ours better) | target | met | note |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in self.rows:
            peer = r.peer
            up = r.higher_is_better
            ratio = (f"{r.ratio:.1f}×" if r.ratio >= 1 else f"{r.ratio:.2f}×") if r.ratio is not None else "—"
            met = "—" if r.met is None else ("yes" if r.met else "**no**")
            lines.append(
                f"| {r.metric} | {_fmt(r.ours.median, r.unit)} | {_fmt(r.ours.worst(up), r.unit)} | "
                f"{_fmt(peer.median, r.unit) if peer else '—'} | {_fmt(peer.worst(up), r.unit) if peer else '—'} | "
                f"{ratio} | {r.target or '—'} | {met} | {r.note} |"
            )
        return "\n".join(lines)

    def finish(self) -> Path:
        """Print the table and write the JSON; returns the JSON path."""
        print(f"\n## {self.title}\n")
        print(self.table())
        RESULTS_DIR.mkdir(parents=True, exist_ok=True)
        path = RESULTS_DIR / f"{self.name}.json"
        payload = {
            "name": self.name,
            "title": self.title,
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": machine_info(),
            "params": self.params,
            "rows": [{**asdict(r), "ratio": r.ratio} for r in self.rows],
            "extra": self.extra,
            "table": self.table(),
        }
        path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
        print(f"\nwrote {path.relative_to(ROOT)}")
        return path


def _fmt(value: float, unit: str) -> str:
    if value is None or math.isnan(value):
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f} {unit}"
    if abs(value) >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}"


def machine_info() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        models = [ln for ln in Path("/proc/cpuinfo").read_text().splitlines() if ln.startswith("model name")]
        cpu = models[0].split(":", 1)[1].strip() if models else ""
    mem_kb = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem_kb = int(Path("/proc/meminfo").read_text().split()[1])
    return {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_mb": mem_kb // 1024,
        "commit": _git_commit(),
    }


def _git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=5
        )
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, timeout=5
        )
        return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def rss_mb(pid: int | None = None) -> float:
    """Resident set size in MB (from /proc, so no dependency is needed)."""
    status = Path(f"/proc/{pid or 'self'}/status").read_text()
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return math.nan


def bench_env(**extra: str) -> dict[str, str]:
    """Environment for child processes: repo on the path, Qt offscreen, no stray account settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BLOOIO_")}
    env.update(PYTHONPATH=str(ROOT), QT_QPA_PLATFORM=env.get("QT_QPA_PLATFORM", "offscreen"))
    env.update(extra)
    return env
