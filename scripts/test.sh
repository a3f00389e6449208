#!/usr/bin/env bash
# Every test: static checks, TypeScript unit and component tests, Python unit tests,
# and end-to-end tests in real Anki against the real sync server. Installs what is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
ensure_all || exit 1
# results and evidence of this run only
rm -rf test-results
mkdir -p test-results
status=0
bash scripts/check.sh || status=1
npx vitest run --reporter=default --reporter=json --outputFile=test-results/unit.json || status=1
"$PY" -m pytest -q -p no:cacheprovider --junitxml=test-results/python.xml test/python || status=1
bash scripts/package.sh || status=1
npx vitest run -c test/e2e/vitest.config.ts || status=1
"$PY" scripts/summary.py || status=1
exit $status
