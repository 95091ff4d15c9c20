#!/usr/bin/env bash
# Smoke-test a built bundle with no display: `--version`, the headless sandbox, then the desktop
# window on the built-in sandbox under Xvfb for a few seconds, a second launch (which must hand over
# to the first and exit 0), and SIGTERM (which must close it cleanly). Fails on any error on stderr.
#
#   packaging/pyinstaller/smoke_test.sh [BUNDLE_DIR | EXECUTABLE]   (default: dist/blooio-desktop)
#
# An executable works too, e.g. `smoke_test.sh ~/.local/bin/blooio-desktop` after `pipx install .`.
#
# Needs xvfb-run (apt: xvfb xauth) and Qt's xcb libraries (see .ci/run).
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BUNDLE="${1:-$ROOT/dist/blooio-desktop}"
EXE="$BUNDLE/blooio-desktop"
[[ -f "$BUNDLE" ]] && EXE="$BUNDLE"
GUI_SECONDS="${BLOOIO_SMOKE_SECONDS:-6}"
# What counts as an error on stderr: Python tracebacks, logged errors, Qt failing to load, crashes.
ERRORS='Traceback|^[0-9-]+ [0-9:,]+ (ERROR|CRITICAL)|Fatal Python error|Segmentation fault|Could not (load|find) the Qt platform plugin|Cannot load library|ModuleNotFoundError|ImportError'

fail() { echo "SMOKE TEST FAILED: $*" >&2; exit 1; }
[[ -x "$EXE" ]] || fail "$EXE not found: build it with packaging/pyinstaller/build.sh"

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
export BLOOIO_DESKTOP_HOME="$WORK/home"  # never the user's real config, data or keyring entries
unset BLOOIO_API_KEY BLOOIO_BASE_URL

check_stderr() {  # $1: file, $2: what ran
  if grep -E -q "$ERRORS" "$1"; then
    echo "---- stderr of $2 ----" >&2
    cat "$1" >&2
    fail "$2 wrote errors to stderr"
  fi
}

echo "==> $EXE --version"
version="$("$EXE" --version 2>"$WORK/version.err")" || fail "--version exited non-zero"
check_stderr "$WORK/version.err" "--version"
[[ "$version" =~ ^blooio-desktop\ [0-9]+\.[0-9]+ ]] || fail "--version printed '$version'"
echo "    $version"

echo "==> $EXE sandbox (headless: the bundle's HTTP server and signing code)"
"$EXE" sandbox --port 0 --memory >"$WORK/sandbox.out" 2>"$WORK/sandbox.err" &
sandbox_pid=$!
for _ in $(seq 100); do
  [[ -s "$WORK/sandbox.out" ]] && break
  kill -0 "$sandbox_pid" 2>/dev/null || break
  sleep 0.1
done
kill -TERM "$sandbox_pid" 2>/dev/null || true
wait "$sandbox_pid" || true
check_stderr "$WORK/sandbox.err" "sandbox"
grep -q '"base_url"' "$WORK/sandbox.out" || { cat "$WORK/sandbox.err" >&2; fail "the sandbox printed no base_url"; }
echo "    $(head -c 120 "$WORK/sandbox.out" | sed 's/"api_key": *"[^"]*"/"api_key": "***"/')"

echo "==> $EXE --sandbox under Xvfb for ${GUI_SECONDS}s, a second launch, then SIGTERM"
# One X display for both launches: the second must hand over to the first and exit 0 at once.
set +e
QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1280x800x24" bash -c '
  exe=$0 work=$1 seconds=$2
  "$exe" --sandbox >"$work/gui.out" 2>"$work/gui.err" &
  gui=$!
  sleep "$seconds"
  if ! kill -0 "$gui" 2>/dev/null; then wait "$gui"; echo "early $?" >"$work/status"; exit 0; fi
  timeout 30 "$exe" --sandbox >"$work/second.out" 2>"$work/second.err"
  second=$?
  sleep 1  # let the first instance log the activation
  kill -TERM "$gui"
  for _ in $(seq 150); do kill -0 "$gui" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$gui" 2>/dev/null && echo "the app ignored SIGTERM for 15 s" >>"$work/gui.err"
  wait "$gui"
  echo "ran $? $second" >"$work/status"
' "$EXE" "$WORK" "$GUI_SECONDS"
set -e
check_stderr "$WORK/gui.err" "the desktop app"
check_stderr "$WORK/second.err" "the second launch"
read -r outcome gui_status second_status <"$WORK/status" || fail "the Xvfb session did not run"
[[ "$outcome" == ran ]] || { cat "$WORK/gui.err" >&2; fail "the desktop app exited early with status $gui_status"; }
[[ "$second_status" == 0 ]] || { cat "$WORK/second.err" >&2; fail "the second launch exited with $second_status"; }
grep -q "asked this instance to show itself" "$BLOOIO_DESKTOP_HOME/logs/blooio-desktop.log" \
  || fail "the running app was not activated by the second launch"
[[ "$gui_status" == 0 ]] || { cat "$WORK/gui.err" >&2; fail "the app exited with $gui_status on SIGTERM"; }
echo "    ran ${GUI_SECONDS}s, a second launch activated it, SIGTERM closed it cleanly"
[[ -d "$BUNDLE" ]] && echo "SMOKE TEST PASSED ($(du -sh "$BUNDLE" | cut -f1) bundle)" || echo "SMOKE TEST PASSED"
