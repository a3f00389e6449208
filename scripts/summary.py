"""Prints one closing line counting every layer's tests: 'N passed, N failed'.

With --matrix VERSION..., each Anki version's Python and end-to-end results (in
test-results/VERSION/) get a line of their own, with the Anki and Qt that leg ran and its time.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

RESULTS = Path(__file__).resolve().parent.parent / "test-results"


def vitest(name: str, results: Path = RESULTS) -> tuple[int, int, int]:
    path = results / name
    if not path.exists():
        return 0, 1, 0
    data = json.loads(path.read_text())
    return data["numPassedTests"], data["numFailedTests"], data["numPendingTests"] + data.get("numTodoTests", 0)


def pytest_xml(results: Path = RESULTS) -> tuple[int, int, int]:
    path = results / "python.xml"
    if not path.exists():
        return 0, 1, 0
    suite = ET.parse(path).getroot()
    suite = suite if suite.tag == "testsuite" else suite[0]
    total, failed = int(suite.get("tests", 0)), int(suite.get("failures", 0)) + int(suite.get("errors", 0))
    skipped = int(suite.get("skipped", 0))
    return total - failed - skipped, failed, skipped


def evidence(results: Path = RESULTS) -> None:
    """What a failed end-to-end test kept, in short: the last lines of the add-on's log and the open windows."""
    for log in sorted(results.glob("*/flipnem-sync.log")):
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
        stdout = log.parent / "anki-stdout.log"
        stalls = stdout.read_text(errors="replace").split("main thread stalled")[1:] if stdout.exists() else []
        for stall in stalls[-2:]:
            lines = ("main thread stalled" + stall.split("main thread stall end")[0]).splitlines()
            for line in lines[:1] + lines[-13:]:
                print(f"    {line}")
        windows = log.parent / "windows.json"
        if windows.exists():
            titles = [w.get("title") or w.get("class") for w in json.loads(windows.read_text())]
            print(f"    windows: {titles}")


def timings() -> dict[str, int]:
    path = RESULTS / "timings.txt"
    lines = path.read_text().split("\n") if path.exists() else []
    return {name: int(secs) for name, secs in (line.split() for line in lines if line.strip())}


def matrix(versions: list[str]) -> int:
    took = timings()
    layers = {"unit+component (vitest)": vitest("unit.json")}
    for version in versions:
        results = RESULTS / version
        ran = (results / "versions.txt").read_text().strip() if (results / "versions.txt").exists() else "not reported"
        print(f"  Anki {version} leg, {took.get(f'anki-{version}', '?')} s: {ran}")
        layers[f"Anki {version}: python (pytest)"] = pytest_xml(results)
        layers[f"Anki {version}: end-to-end (vitest)"] = vitest("e2e.json", results)
        if layers[f"Anki {version}: end-to-end (vitest)"][1]:
            evidence(results)
    for name in ("checks", "unit", "package"):
        if name in took:
            print(f"  {name}: {took[name]} s")
    return report(layers)


def report(layers: dict[str, tuple[int, int, int]]) -> int:
    for name, (p, f, s) in layers.items():
        print(f"  {name}: {p} passed, {f} failed, {s} skipped")
    passed = sum(v[0] for v in layers.values())
    failed = sum(v[1] for v in layers.values())
    skipped = sum(v[2] for v in layers.values())
    # a skipped test proves nothing, so it counts against the run
    print(f"{passed} passed, {failed + skipped} failed")
    return 1 if failed or skipped else 0


def main() -> int:
    if sys.argv[1:2] == ["--matrix"]:
        return matrix(sys.argv[2:])
    layers = {
        "unit+component (vitest)": vitest("unit.json"),
        "python (pytest)": pytest_xml(),
        "end-to-end (vitest)": vitest("e2e.json"),
    }
    if layers["end-to-end (vitest)"][1]:
        evidence()
    return report(layers)


if __name__ == "__main__":
    sys.exit(main())
