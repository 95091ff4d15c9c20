#!/usr/bin/env bash
# Install (or --uninstall) Blooio Desktop's menu entry, icons and AppStream metadata for this user.
#
#   packaging/linux/install.sh [--exec COMMAND] [--prefix DATA_DIR] [--uninstall]
#
# --exec     the command the menu entry runs (default: `blooio-desktop` from PATH, by absolute path;
#            for a PyInstaller bundle pass its executable, e.g. ~/Apps/blooio-desktop/blooio-desktop)
# --prefix   where to install (default: ${XDG_DATA_HOME:-~/.local/share})
# The app itself is installed separately: `pipx install .` or the PyInstaller bundle.
set -euo pipefail

APP_ID="com.blooio.Desktop"
HERE="$(cd "$(dirname "$0")" && pwd)"
ICONS="$HERE/../../resources/app"
PREFIX="${XDG_DATA_HOME:-$HOME/.local/share}"
EXEC=""
UNINSTALL=0

while (($#)); do
  case "$1" in
    --exec) EXEC="${2:?--exec needs a command}"; shift 2 ;;
    --prefix) PREFIX="${2:?--prefix needs a folder}"; shift 2 ;;
    --uninstall) UNINSTALL=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown option $1 (try --help)" >&2; exit 2 ;;
  esac
done

SIZES=(16 32 48 64 128 256 512)
DESKTOP="$PREFIX/applications/$APP_ID.desktop"
METAINFO="$PREFIX/metainfo/$APP_ID.metainfo.xml"
SVG="$PREFIX/icons/hicolor/scalable/apps/$APP_ID.svg"
png_for() { echo "$PREFIX/icons/hicolor/${1}x${1}/apps/$APP_ID.png"; }

refresh_caches() {
  # Optional helpers: menus pick the entry up without them too, only a little later.
  command -v update-desktop-database >/dev/null && update-desktop-database -q "$PREFIX/applications" || true
  # No icon cache in a user folder (a stale one hides later icons); a newer mtime is the hint themes use.
  [[ -d "$PREFIX/icons/hicolor" ]] && touch "$PREFIX/icons/hicolor" || true
}

if ((UNINSTALL)); then
  rm -f "$DESKTOP" "$METAINFO" "$SVG"
  for size in "${SIZES[@]}"; do rm -f "$(png_for "$size")"; done
  refresh_caches
  echo "Removed Blooio Desktop's menu entry and icons from $PREFIX"
  exit 0
fi

if [[ -z "$EXEC" ]]; then
  if ! EXEC="$(command -v blooio-desktop)"; then
    echo "install.sh: blooio-desktop is not on PATH; install the app first (pipx install .) or pass --exec" >&2
    exit 1
  fi
fi
for size in "${SIZES[@]}"; do
  [[ -f "$ICONS/icon-$size.png" ]] || {
    echo "install.sh: $ICONS/icon-$size.png is missing; run: python resources/generate_icons.py" >&2
    exit 1
  }
done

# Desktop Entry quoting: wrap the command in double quotes, escaping " ` $ and backslash.
quoted="\"$(printf '%s' "$EXEC" | sed -e 's/[\\"`$]/\\&/g' -e 's/\\/\\\\/g')\""
install -d "$PREFIX/applications" "$PREFIX/metainfo" "$(dirname "$SVG")"
while IFS= read -r line; do
  [[ "$line" == Exec=blooio-desktop* ]] && line="Exec=$quoted${line#Exec=blooio-desktop}"
  printf '%s\n' "$line"
done <"$HERE/$APP_ID.desktop" >"$DESKTOP.tmp"
mv "$DESKTOP.tmp" "$DESKTOP"
install -m 0644 "$HERE/$APP_ID.metainfo.xml" "$METAINFO"
install -m 0644 "$ICONS/icon.svg" "$SVG"
for size in "${SIZES[@]}"; do
  install -D -m 0644 "$ICONS/icon-$size.png" "$(png_for "$size")"
done
refresh_caches
echo "Installed Blooio Desktop's menu entry ($DESKTOP) running: $EXEC"
