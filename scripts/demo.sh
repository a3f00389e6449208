#!/usr/bin/env bash
# npm run anki: builds the add-on and opens Anki signed in to a local Flipnem stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_all
bash scripts/package.sh
exec npx tsx scripts/demo.ts
