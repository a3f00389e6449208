"""The user's other device for the bench: one pure-anki collection kept open, syncing to the
account without retrying, so every sync the server turns away is counted.

usage:
  other_device.py serve --col PATH --endpoint URL --user NAME
      reads one JSON command a line on stdin, answers one JSON line each:
        {"op": "addNote", "front": "...", "sync": true}  adds a note (and syncs)
        {"op": "sync", "query": "..."}                   syncs; says the reviews and matching notes
  other_device.py loop --col PATH --endpoint URL --user NAME --every 10 --seconds 60
      every `--every` seconds (start to start) adds a note and syncs, for `--seconds` seconds;
      prints one JSON line per sync, then a summary line.
The password comes in FLIPNEM_TEST_PASSWORD. Times are epoch milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from anki.collection import Collection
from anki.decks import DeckId
from anki.errors import NetworkError, SyncError

CONFLICT = "only one copy"


def now_ms() -> float:
    return time.time() * 1000


def sync_once(col: Collection, auth: Any) -> dict[str, Any]:
    """One normal sync, never retried: its outcome and when it ran."""
    started = now_ms()
    try:
        out = col.sync_collection(auth, False)
        outcome = "ok" if out.required == out.NO_CHANGES else "full sync required"
        message = ""
    except SyncError as err:
        message = str(err)
        outcome = "conflict" if CONFLICT in message.lower() else f"sync error ({err.kind.name})"
    except NetworkError as err:
        message = str(err)
        outcome = "network error"
    return {"outcome": outcome, "message": message[:200], "startedAt": started, "finishedAt": now_ms()}


def add_note(col: Collection, front: str) -> int:
    basic = col.models.by_name("Basic")
    assert basic is not None
    note = col.new_note(basic)
    note["Front"] = front
    col.add_note(note, DeckId(1))
    return int(note.id)


def serve(col: Collection, auth: Any) -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = json.loads(line)
        reply: dict[str, Any]
        if cmd["op"] == "addNote":
            reply = {"noteId": add_note(col, cmd["front"])}
            if cmd.get("sync"):
                reply["sync"] = sync_once(col, auth)
        elif cmd["op"] == "sync":
            reply = {"sync": sync_once(col, auth)}
            reply["reviews"] = col.db.scalar("select count() from revlog") if col.db else None
            if cmd.get("query"):
                reply["found"] = len(col.find_notes(cmd["query"]))
        else:
            reply = {"error": f"unknown op {cmd['op']}"}
        print(json.dumps(reply), flush=True)


def loop(col: Collection, auth: Any, every: float, seconds: float) -> None:
    began = time.monotonic()
    syncs: list[dict[str, Any]] = []
    tick = 0
    while time.monotonic() - began < seconds:
        add_note(col, f"other device {tick}")
        result = sync_once(col, auth)
        syncs.append(result)
        print(json.dumps(result), flush=True)
        tick += 1
        time.sleep(max(0.0, began + tick * every - time.monotonic()))
    outcomes: dict[str, int] = {}
    for s in syncs:
        outcomes[s["outcome"]] = outcomes.get(s["outcome"], 0) + 1
    print(json.dumps({"syncs": len(syncs), "outcomes": outcomes}), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["serve", "loop"])
    parser.add_argument("--col", required=True)
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--every", type=float, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    args = parser.parse_args()
    col = Collection(args.col)
    try:
        auth = col.sync_login(args.user, os.environ.get("FLIPNEM_TEST_PASSWORD", ""), args.endpoint)
        # in step with the server before anything is counted (Anki may be syncing: tried again)
        for _ in range(20):
            first = sync_once(col, auth)
            if first["outcome"] == "ok":
                break
            time.sleep(0.5)
        else:
            raise SystemExit(f"the other device could not sync: {first}")
        print(json.dumps({"ready": True}), flush=True)
        if args.mode == "serve":
            serve(col, auth)
        else:
            loop(col, auth, args.every, args.seconds)
    finally:
        col.close()


if __name__ == "__main__":
    main()
