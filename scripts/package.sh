#!/usr/bin/env bash
# Builds the page and zips the add-on into dist/flipnem-sync.ankiaddon.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_node_modules
npx vite build --logLevel warn
python3 scripts/package.py
