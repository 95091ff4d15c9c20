"""Coverage-guided fuzzing (atheris, optional, local only) of what the listener runs on a body.

Each input is split into a signature header and a body; the harness runs the listener's pipeline
without the socket: `verify_any` (with the real secret, and legacy on), `parse_body`, then the
store merge (`apply_events`) into an in-memory-sized SQLite file. Any exception other than the
expected SignatureError/ValidationError is a crash atheris reports with the input that caused it.

    pip install atheris && python -m bench.fuzz_atheris -atheris_runs=200000 [corpus_dir]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import atheris

from bench.common import DATA_DIR

with atheris.instrument_imports():
    from blooio_desktop.core.errors import SignatureError, ValidationError
    from blooio_desktop.services.ingest import apply_events
    from blooio_desktop.store import Database
    from blooio_desktop.webhook.events import parse_body
    from blooio_desktop.webhook.signature import sign, verify_any

SECRET = "whsec_atheris"
_TMP = tempfile.TemporaryDirectory()
DB = Database.open(Path(_TMP.name) / "fuzz.sqlite3")


def one_input(data: bytes) -> None:
    fdp = atheris.FuzzedDataProvider(data)
    mode = fdp.ConsumeIntInRange(0, 2)
    header = fdp.ConsumeUnicodeNoSurrogates(fdp.ConsumeIntInRange(0, 120))
    body = fdp.ConsumeBytes(fdp.remaining_bytes())
    if mode == 1:
        header = sign(SECRET, body)  # most inputs should reach the code behind verification
    try:
        verify_any([SECRET], header, body, allow_legacy=mode == 2)
    except SignatureError:
        if mode != 1:
            return
        raise
    try:
        event = parse_body(body)
    except ValidationError:
        return
    with DB.transaction() as conn:
        apply_events(conn, [event])


def main() -> None:
    argv = list(sys.argv)
    if not any(a.startswith("-artifact_prefix=") for a in argv):
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        argv.append(f"-artifact_prefix={DATA_DIR}/atheris-")  # crash inputs land next to the data sets
    atheris.Setup(argv, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
