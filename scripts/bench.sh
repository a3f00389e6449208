#!/usr/bin/env bash
# npm run bench: Anki with the add-on against native Anki, as figures and ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_all
bash scripts/package.sh
exec npx tsx scripts/bench.ts
