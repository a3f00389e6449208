#!/usr/bin/env bash
# Every test on every supported Anki (what CI runs): the checks and unit tests once; then the
# Python and end-to-end suites on the newest Anki (with the fault matrix) and on the oldest
# (24.06, on the Qt 6.6 its users ran) side by side, and a smoke subset on 25.9.5. Each Anki has its own venv, made here
# from its pinned requirements. Installs what is missing.
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

NEWEST=$(sed -n 's/^aqt\[qt\]==\([0-9.]*\).*/\1/p' requirements.txt)
[[ $NEWEST =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "requirements.txt pins no aqt[qt]==X.Y.Z" >&2; exit 1; }
OLDEST=24.6.3
MIDDLE=25.9.5
# launch, open and close sync, periodic media, Sync now, the panel's sign-in, Anki's installer
SMOKE=(test/e2e/foundation.e2e.ts test/e2e/sidebar.e2e.ts test/e2e/sync-open-close.e2e.ts
  test/e2e/settings-panel.e2e.ts)

ensure_apt || exit 1
pids=()
ensure_venv & pids+=($!)
ensure_anki_venv "$OLDEST" & pids+=($!)
ensure_anki_venv "$MIDDLE" & pids+=($!)
ensure_node_modules & pids+=($!)
for pid in "${pids[@]}"; do wait "$pid" || exit 1; done

rm -rf test-results
mkdir -p test-results
# seconds each part took, for the closing summary
timed() {
  local name="$1" started=$SECONDS rc=0
  shift
  "$@" || rc=1
  echo "$name $((SECONDS - started))" >>test-results/timings.txt
  return $rc
}

# one Anki version's Python and end-to-end tests; its output goes to its own folder
leg() {
  local version="$1" venv="$2" requirements="$3" ports="$4" out="test-results/$1" rc=0
  shift 4
  mkdir -p "$out"
  "$venv/bin/python" -m pytest -q -p no:cacheprovider --junitxml="$out/python.xml" test/python >"$out/python.log" 2>&1 || rc=1
  FLIPNEM_ANKI_VENV="$venv" FLIPNEM_ANKI_REQUIREMENTS="$requirements" FLIPNEM_RESULTS="$out" FLIPNEM_PORTS="$ports" \
    npx vitest run -c test/e2e/vitest.config.ts "$@" >"$out/e2e.log" 2>&1 || rc=1
  return $rc
}

status=0
timed checks bash scripts/check.sh || status=1
timed unit npx vitest run --reporter=default --reporter=json --outputFile=test-results/unit.json || status=1
timed package bash scripts/package.sh || status=1

# two streams at once, on separate port ranges below the system's ephemeral range: the newest
# (with the fault matrix, the longest leg), and the oldest then the smoke subset
timed "anki-$NEWEST" leg "$NEWEST" .venv requirements.txt 20000-25999 &
newest=$!
(
  timed "anki-$OLDEST" leg "$OLDEST" "$(anki_venv "$OLDEST")" "test/versions/$OLDEST.txt" 26000-31999 \
    --exclude test/e2e/fault-matrix.e2e.ts --exclude test/e2e/keyboard-study.e2e.ts
  oldest=$?
  timed "anki-$MIDDLE" leg "$MIDDLE" "$(anki_venv "$MIDDLE")" "test/versions/$MIDDLE.txt" 26000-31999 "${SMOKE[@]}"
  middle=$?
  [ "$oldest" = 0 ] && [ "$middle" = 0 ]
) || status=1
wait $newest || status=1

for version in "$NEWEST" "$OLDEST" "$MIDDLE"; do
  echo "=== Anki $version"
  tail -n 3 "test-results/$version/python.log"
  tail -n 25 "test-results/$version/e2e.log"
done
"$PY" scripts/summary.py --matrix "$NEWEST" "$OLDEST" "$MIDDLE" || status=1
exit $status
