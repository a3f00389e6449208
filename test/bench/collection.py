"""Bench only: the large collection, made once with the pure `anki` package and cached.

make:   notes (Basic, the first `--media` of them showing a file each) and the files.
upload: a device uploads it to the server (a full upload); with --media, its files too.
Prints one JSON object, like anki_env.py. The sync key stays in-process.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e" / "support"))

from anki.collection import AddNoteRequest  # noqa: E402
from anki_env import _full, _login, _open, _sync  # type: ignore[import-not-found]  # noqa: E402


def cmd_make(args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    col = _open(args.col)
    model = col.models.by_name("Basic")
    names = []
    for i in range(args.media):
        # random bytes: files that do not compress, as photos and sound do not
        names.append(col.media.write_data(f"bench-{i:05d}.jpg", os.urandom(args.media_bytes)))
    requests = []
    for i in range(args.notes):
        note = col.new_note(model)
        note["Front"] = f"bench note {i}: {'word ' * 8}"
        note["Back"] = f'<img src="{names[i]}">' if i < len(names) else f"answer {i}"
        requests.append(AddNoteRequest(note=note, deck_id=1))
    col.add_notes(requests)
    col.close()
    return {"notes": args.notes, "media": len(names), "seconds": round(time.monotonic() - started, 1)}


def cmd_upload(args: argparse.Namespace) -> dict[str, Any]:
    started = time.monotonic()
    col = _open(args.col)
    auth = _login(col, args)
    _full(col, auth, upload=True)
    result = _sync(col, auth, media=True) if args.media else "collection only"
    col.close()
    return {"sync": result, "seconds": round(time.monotonic() - started, 1)}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("make")
    p.add_argument("--col", required=True)
    p.add_argument("--notes", type=int, required=True)
    p.add_argument("--media", type=int, required=True)
    p.add_argument("--media-bytes", type=int, required=True)
    p = sub.add_parser("upload")
    p.add_argument("--col", required=True)
    p.add_argument("--endpoint", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", default=os.environ.get("FLIPNEM_TEST_PASSWORD", ""))
    p.add_argument("--media", action="store_true")
    args = parser.parse_args()
    result = {"make": cmd_make, "upload": cmd_upload}[args.cmd](args)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
