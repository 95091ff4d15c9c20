"""GUI benchmarks on the real app with 10k chats / 1M messages cached: cold start, open thread, RSS.

Each measurement is a fresh process (`bench/gui_probe.py`), alternating with the peer, a bare
QApplication with an empty window. The app runs as `blooio-desktop gui` does, against a sandbox
child process holding a fixed API key, with a copy of the generated database as that account's
cache (nothing is synced: the sandbox is empty, so every row on screen comes from the cache). Both
run in `bench/data/app-venv`: the app installed from this checkout as the README's first command
installs it (`pip install .`: runtime dependencies, compiled bytecode), not the dev venv.

    python -m bench.gui [--runs 5] [--scroll-s 60] [--chats 10000 --messages 1000000] [--cold-only]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.common import DATA_DIR, ROOT, Report, Row, Stats, bench_env
from bench.datagen import DataSet, copy_to, ensure
from blooio_desktop.config.credentials import AccountConfig
from blooio_desktop.store import Database
from tests.support.sandbox import SandboxHandle, start_sandbox_process

API_KEY = "sk_bench_gui_0123456789abcdef"
APP_VENV = DATA_DIR / "app-venv"
REOPENS = 5
FLAT_MB_PER_10K_ROWS = 2.0  # what "memory flat while scrolling" allows: noise, not retained rows


def probe(
    python: str, mode: str, env: dict[str, str], *extra: str, timeout: float = 300
) -> tuple[float, list[dict[str, Any]]]:
    """Run one probe; returns (its monotonic start, its report lines)."""
    started = time.monotonic()
    proc = subprocess.Popen(  # not from the checkout: its `blooio_desktop` would shadow the installed one
        [python, "-m", "bench.gui_probe", mode, *extra],
        cwd=APP_VENV, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    if not any(line["event"] == "painted" for line in lines):
        raise RuntimeError(f"{mode} probe never painted (exit {proc.returncode})")
    return started, lines


def first(lines: list[dict[str, Any]], event: str) -> dict[str, Any]:
    return next(line for line in lines if line["event"] == event)


def probe_env(**extra: str) -> dict[str, str]:
    env = bench_env(**extra)
    del env["PYTHONPATH"]  # the installed app, not the checkout's sources
    return env


def app_env(home: Path, sandbox: SandboxHandle) -> dict[str, str]:
    return probe_env(
        BLOOIO_DESKTOP_HOME=str(home), BLOOIO_API_KEY=API_KEY, BLOOIO_BASE_URL=sandbox.base_url,
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )


def installed_app_python() -> str:
    """The python of a venv with the app installed from this checkout, as a user has it.

    The dev venv measures something else: httpx imports its command line (click, rich, pygments,
    ~65 ms) when dev tools have installed those, an editable install adds an import hook, and this
    machine runs with PYTHONDONTWRITEBYTECODE=1. A `.pth` file puts the checkout *after*
    site-packages, so the probe finds `bench` there while the app comes from the installed package.
    """
    python = APP_VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(APP_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "-q", str(ROOT)], check=True)
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", str(ROOT)], check=True
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    Path(site, "blooio-bench-checkout.pth").write_text(f"{ROOT}\n")
    return str(python)


def prepare_home(home: Path, data: DataSet, sandbox: SandboxHandle) -> None:
    slug = AccountConfig(api_key=API_KEY, base_url=sandbox.base_url, source="env").slug
    copy = copy_to(data, home / "data" / f"{slug}.sqlite3")
    Database.open(copy).close()  # a data set from an older schema: migrate now, not in a measured start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--scroll-s", type=float, default=60.0)
    parser.add_argument("--chats", type=int, default=10_000)
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--cold-only", action="store_true",
                        help="the cold starts only (no thread tour): prints medians, writes no results file")
    args = parser.parse_args()
    data = ensure(args.chats, args.messages)
    python = installed_app_python()
    sandbox = start_sandbox_process(["--memory", "--no-seed", "--api-key", API_KEY])
    cold: list[float] = []
    floor: list[float] = []
    bare_rss: list[float] = []
    tmp = tempfile.TemporaryDirectory()
    home = Path(tmp.name) / "home"
    try:
        prepare_home(home, data, sandbox)
        env = app_env(home, sandbox)
        for run in range(args.runs):
            started, lines = probe(python, "app", env)
            cold.append(first(lines, "painted")["t"] - started)
            imported = first(lines, "imported")["t"] - started
            started, lines = probe(python, "bare", probe_env())
            floor.append(first(lines, "painted")["t"] - started)
            bare_rss.append(first(lines, "painted")["rss_mb"])
            print(f"run {run + 1}: app imported after {imported:.2f} s, painted after {cold[-1]:.2f} s; "
                  f"bare window painted after {floor[-1]:.2f} s")
        if args.cold_only:
            print(f"\nmedian of {args.runs}: app {statistics.median(cold):.3f} s, bare window {statistics.median(floor):.3f} s")
            return
        big, other = data.large_chats[0], data.large_chats[1]
        # The 100k thread again, warm, alternating so each open is a change, and LAST: the tour
        # scrolls whichever thread it opened last.
        reopen = [other, big] * REOPENS
        _started, tour = probe(python, "threads", env, "--scroll-s", str(args.scroll_s), "--chats", *data.large_chats,
                               *reopen, timeout=args.scroll_s + 300)
    finally:
        sandbox.stop()
        tmp.cleanup()
    build_report(args, data, cold, floor, bare_rss, tour).finish()


def build_report(
    args: argparse.Namespace, data: DataSet, cold: list[float], floor: list[float], bare_rss: list[float],
    tour: list[dict[str, Any]],
) -> Report:
    for line in tour:
        if line["event"] == "thread_timeout":
            print(f"WARNING: {line['chat']} did not paint within the probe's timeout")
    threads = [line for line in tour if line["event"] == "thread_painted"]
    scrolled = [line for line in tour if line["event"] in ("scrolled", "scroll_done")]
    for line in threads:
        print(f"opened {line['chat']}: first paint {line['open_ms']:.1f} ms, {line['rows']} rows, RSS {line['rss_mb']:.0f} MB")
    for line in scrolled:
        print(f"scrolled: {line['rows']:>6} rows after {line['elapsed_s']:.1f} s "
              f"({line.get('window', line['rows'])} held), RSS {line['rss_mb']:.0f} MB")
    report = Report("gui", f"GUI with {args.chats:,} chats / {args.messages:,} messages cached", params=vars(args),
                    extra={"threads": threads, "scroll": scrolled})
    row = report.add(Row("cold start → chat list painted", "s", Stats.of(cold), Stats.of(floor), "≤ 0.6 s median"))
    row.met = row.ours.median <= 0.6
    row.note = f"peer = bare QApplication + empty window; overhead over the floor {row.ours.median - Stats.of(floor).median:.2f} s"
    big = [line["open_ms"] for line in threads if line["chat"] == data.large_chats[0]]
    row = report.add(Row("open the 100k-message thread → first paint", "ms", Stats.of(big), target="≤ 50 ms"))
    row.met = row.ours.median <= 50
    row.note = f"{len(big)} opens; the first (nothing cached yet) took {big[0]:.1f} ms" if big else ""
    first_ten = threads[: len(data.large_chats)]
    report.add(Row("open each of the 10 large threads → first paint", "ms", Stats.of([t["open_ms"] for t in first_ten]),
                   note="one of 100k messages, nine of 20k; first open of each"))
    after = first_ten[-1]["rss_mb"] if first_ten else float("nan")
    row = report.add(Row("RSS after opening 10 large threads", "MB", Stats.of([after]), Stats.of(bare_rss), "≤ 200 MB"))
    row.met = after <= 200
    if len(scrolled) >= 2 and scrolled[-1]["rows"] > scrolled[0]["rows"]:
        grew = scrolled[-1]["rss_mb"] - scrolled[0]["rss_mb"]
        rows = scrolled[-1]["rows"] - scrolled[0]["rows"]
        per_10k = grew / rows * 10_000
        row = report.add(Row("RSS growth scrolling the 100k thread up", "MB", Stats.of([grew]), target="flat"))
        row.met = per_10k <= FLAT_MB_PER_10K_ROWS
        row.note = (
            f"{rows:,} older rows loaded in {scrolled[-1]['elapsed_s']:.0f} s, "
            f"{scrolled[-1].get('window', scrolled[-1]['rows']):,} held at the end "
            f"({per_10k:.1f} MB per 10k rows; flat = ≤ {FLAT_MB_PER_10K_ROWS} MB per 10k rows)"
        )
    return report


if __name__ == "__main__":
    main()
