#!/usr/bin/env bash
# Static checks: types (TS, Svelte, Python), lint and format.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_venv
ensure_node_modules
# the page's message types must be those of addon/protocol.json
npx tsx scripts/protocol-types.ts --check
npx tsc --noEmit -p .
# policies import state, types and pure helpers, not one another: a ratchet on the longest chain
npx tsx scripts/import-depth.ts --max 5
npx svelte-check --fail-on-warnings --tsconfig ./tsconfig.json --threshold warning --output human
npx prettier --check . >/dev/null || { npx prettier --list-different .; echo "prettier: run npm run format" >&2; exit 1; }
"$PY" -m ruff check addon scripts test
"$PY" -m ruff format --check addon scripts test
"$PY" -m mypy
# Anki before 25.07 ships Python 3.9: the add-on must run there
"$VENV/bin/vermin" --quiet --no-tips --violations --target=3.9- addon
echo "checks passed"
