#!/usr/bin/env bash
# Build the one-folder PyInstaller bundle: dist/blooio-desktop/blooio-desktop.
#
#   packaging/pyinstaller/build.sh            (then: packaging/pyinstaller/smoke_test.sh)
#
# Uses its own venv (BLOOIO_BUILD_VENV, default /tmp/blooio-pyinstaller-venv) with PyInstaller and a
# regular (non-editable) install of this checkout, so the bundle holds exactly what a user installs.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PYTHON="${PYTHON:-python3}"
VENV="${BLOOIO_BUILD_VENV:-/tmp/blooio-pyinstaller-venv}"
DIST="${BLOOIO_DIST_DIR:-$ROOT/dist}"
WORK="${BLOOIO_BUILD_DIR:-/tmp/blooio-pyinstaller-work}"
started=$SECONDS

echo "==> build venv $VENV"
[[ -x "$VENV/bin/python" ]] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
# The project is copied first: building a wheel in place would leave build/ and *.egg-info behind.
SRC="$(mktemp -d)"
trap 'rm -rf "$SRC"' EXIT
tar -C "$ROOT" --exclude=./.git --exclude=./dist --exclude=./.venv -cf - . | tar -C "$SRC" -xf -
"$VENV/bin/python" -m pip install -q "pyinstaller>=6.10,<7" "$SRC"

echo "==> pyinstaller"
"$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$DIST" --workpath "$WORK" "$ROOT/packaging/pyinstaller/blooio-desktop.spec"

echo "==> built $DIST/blooio-desktop in $((SECONDS - started)) s"
du -sh "$DIST/blooio-desktop"
