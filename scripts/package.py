"""Builds dist/flipnem-sync.ankiaddon from addon/, the built web/ and manifest.json.

The zip is reproducible: entries sorted, fixed timestamps, `mod` from the last commit.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SKIP_DIRS = {"__pycache__", "user_files", ".mypy_cache", ".ruff_cache"}
SKIP_SUFFIXES = {".pyc", ".map", ".log"}
FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def commit_time() -> int:
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True)
        return int(out.stdout.strip())
    except (subprocess.CalledProcessError, ValueError, FileNotFoundError):
        return 0


def files(web: Path = ROOT / "build" / "addon" / "web") -> list[tuple[str, bytes]]:
    entries: list[tuple[str, bytes]] = []
    for folder, prefix in ((ROOT / "addon", ""), (web, "web/")):
        if not folder.is_dir():
            sys.exit(f"missing {folder}: run the web build first")
        for path in sorted(folder.rglob("*")):
            rel = path.relative_to(folder)
            if path.is_dir() or SKIP_DIRS & set(rel.parts) or path.suffix in SKIP_SUFFIXES:
                continue
            entries.append((prefix + rel.as_posix(), path.read_bytes()))
    manifest = json.loads((ROOT / "manifest.json").read_text(encoding="utf-8"))
    manifest["mod"] = commit_time()
    entries.append(("manifest.json", (json.dumps(manifest, indent=2) + "\n").encode()))
    return sorted(entries)


def build(out: Path, web: Path = ROOT / "build" / "addon" / "web") -> None:
    out.parent.mkdir(exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files(web):
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)


def main() -> None:
    out = ROOT / "dist" / "flipnem-sync.ankiaddon"
    build(out)
    print(f"{out.relative_to(ROOT)}: {out.stat().st_size} bytes")


if __name__ == "__main__":
    main()
