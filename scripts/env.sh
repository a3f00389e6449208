# Shared set-up for the project's scripts: installs what is missing, or says how.
# shellcheck shell=bash
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# the system's Python makes every venv (found before a venv is put first on PATH)
BASE_PYTHON="${BASE_PYTHON:-$(PATH="$(tr : '\n' <<<"$PATH" | grep -vxF "$ROOT/.venv/bin" | paste -sd:)" command -v python3)}"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
DEB_PACKAGES="xvfb xauth libgl1 libegl1 libgbm1 libgl1-mesa-dri libnss3 libdbus-1-3 libfontconfig1
 libasound2 libxkbcommon0 libxkbcommon-x11-0 libxkbfile1 libxcomposite1 libxdamage1 libxrandr2
 libxtst6 libxi6 libxcursor1 libxrender1 libminizip1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-xfixes0 libxcb-xkb1
 chromium fonts-dejavu-core git python3-venv"

ensure_apt() {
  local missing=()
  for p in $DEB_PACKAGES; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Missing Debian packages. Run: sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
}

# A venv made from a requirements file, made again only when the file changes.
ensure_venv_from() {
  local venv="$1" requirements="$2"
  if [ -x "$venv/bin/python" ] && cmp -s "$requirements" "$venv/.requirements"; then return 0; fi
  echo "Setting up the Python venv ${venv#"$ROOT"/} from ${requirements#"$ROOT"/}"
  rm -f "$venv/.requirements"
  # marked done only once everything installed, so a failed install is tried again next time
  "$BASE_PYTHON" -m venv "$venv" &&
    "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$requirements" &&
    cp "$requirements" "$venv/.requirements" ||
    {
      echo "Could not set up ${venv#"$ROOT"/}" >&2
      return 1
    }
}

# The newest Anki (what `npm test` runs), its tools, and the sync server every leg uses.
ensure_venv() {
  ensure_venv_from "$VENV" "$ROOT/requirements.txt"
}

# Another Anki of the test matrix, in its own venv from test/versions/<version>.txt.
anki_venv() {
  echo "$ROOT/.venv-$1"
}
ensure_anki_venv() {
  ensure_venv_from "$(anki_venv "$1")" "$ROOT/test/versions/$1.txt"
}

ensure_node_modules() {
  local stamp="$ROOT/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$ROOT/package-lock.json" ]; then return 0; fi
  echo "Installing npm packages (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
}

ensure_all() {
  ensure_apt
  ensure_venv
  ensure_node_modules
}

export PATH="$VENV/bin:$PATH"
