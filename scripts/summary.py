"""Prints one closing line counting every layer's tests: 'N passed, N failed'."""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "test-results"


def vitest(name: str) -> tuple[int, int, int]:
    path = RESULTS / name
    if not path.exists():
        return 0, 1, 0
    data = json.loads(path.read_text())
    return data["numPassedTests"], data["numFailedTests"], data["numPendingTests"] + data.get("numTodoTests", 0)


def pytest_xml() -> tuple[int, int, int]:
    path = RESULTS / "python.xml"
    if not path.exists():
        return 0, 1, 0
    suite = ET.parse(path).getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    total, failed = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def evidence() -> None:
    """What a failed end-to-end test kept, in short: the last lines of the add-on's log and the open windows."""
    for log in sorted(RESULTS.glob("*/flipnem-sync.log")):
        print(f"  evidence in {log.parent.relative_to(RESULTS.parent)}:")
        for line in log.read_text(errors="replace").splitlines()[-12:]:
            print(f"    {line}")
        store = log.parent / "store.json"
        if store.exists():
            history = (json.loads(store.read_text()).get("state") or {}).get("history") or []
            for e in history[-6:]:
                print(
                    f"    history: {e.get('kind')} {e.get('trigger')} {e.get('outcome')} {e.get('skippedReason') or ''}"
                )
        windows = log.parent / "windows.json"
        if windows.exists():
            titles = [w.get("title") or w.get("class") for w in json.loads(windows.read_text())]
            print(f"    windows: {titles}")


def main() -> int:
    layers = {
        "unit+component (vitest)": vitest("unit.json"),
        "python (pytest)": pytest_xml(),
        "end-to-end (vitest)": vitest("e2e.json"),
    }
    if layers["end-to-end (vitest)"][1]:
        evidence()
    for name, (p, f, s) in layers.items():
        print(f"  {name}: {p} passed, {f} failed, {s} skipped")
    passed = sum(v[0] for v in layers.values())
    failed = sum(v[1] for v in layers.values())
    skipped = sum(v[2] for v in layers.values())
    # a skipped test proves nothing, so it counts against the run
    print(f"{passed} passed, {failed + skipped} failed")
    return 1 if failed or skipped else 0


if __name__ == "__main__":
    sys.exit(main())
