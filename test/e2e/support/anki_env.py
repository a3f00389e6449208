"""Prepares Anki base folders and plays "another device" for end-to-end tests.

Run with the project's venv python. Each subcommand prints one JSON object.
The sync key is used in-process and never printed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import re
import shutil
import sqlite3
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from anki.collection import Collection
from anki.errors import SyncError, SyncErrorKind
from anki.sync import SyncOutput
from inventory import inventory

PRODUCT = "flipnem_sync"


def _login(col: Collection, args: argparse.Namespace) -> Any:
    return col.sync_login(args.user, args.password, args.endpoint)


def _open(path: str) -> Collection:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return Collection(path)


def _full(col: Collection, auth: Any, upload: bool) -> None:
    col.close_for_full_sync()
    col.full_upload_or_download(auth=auth, server_usn=None, upload=upload)
    col.reopen(after_full_sync=True)


def _add_note(col: Collection, front: str, back: str = "") -> int:
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = front, back
    col.add_note(note, 1)
    return int(note.id)


def _sync(col: Collection, auth: Any, media: bool, retries: int = 20) -> str:
    # the server turns a second device away while Anki syncs; a phone tries again a moment later
    # (retries=1: once, so a test sees what the add-on cost this device)
    for attempt in range(retries):
        try:
            out: SyncOutput = col.sync_collection(auth, media)
            break
        except SyncError as err:
            if err.kind != SyncErrorKind.OTHER or attempt == retries - 1:
                raise
            time.sleep(0.5)
    if out.required != out.NO_CHANGES:
        return f"full sync required ({out.required})"
    if media:
        while col.media_sync_status().active:
            time.sleep(0.1)
    return "ok"


def cmd_seed_server(args: argparse.Namespace) -> dict[str, Any]:
    """A device uploads a collection with `--notes` notes, so the account is not empty."""
    col = _open(args.col)
    for i in range(args.notes):
        _add_note(col, f"seed note {i}", "back")
    auth = _login(col, args)
    _full(col, auth, upload=True)
    col.close()
    return {"notes": args.notes}


def cmd_download(args: argparse.Namespace) -> dict[str, Any]:
    """Makes a collection equal to the server's with a full download (no first-sync question)."""
    col = _open(args.col)
    auth = _login(col, args)
    _full(col, auth, upload=False)
    count = len(col.find_notes(""))
    col.close()
    return {"notes": count}


def cmd_add_note(args: argparse.Namespace) -> dict[str, Any]:
    col = _open(args.col)
    note_id = _add_note(col, args.front, args.back)
    result = _sync(col, _login(col, args), media=False) if args.sync else "not synced"
    col.close()
    return {"noteId": note_id, "sync": result}


def cmd_sync(args: argparse.Namespace) -> dict[str, Any]:
    col = _open(args.col)
    result = _sync(col, _login(col, args), media=args.media)
    found = len(col.find_notes(args.query)) if args.query else None
    reviews = col.db.scalar("select count() from revlog")
    media_present = None
    if args.media_name:
        media_present = os.path.exists(os.path.join(col.media.dir(), args.media_name))
    media_files = None
    if args.media_prefix:
        media_files = len([n for n in os.listdir(col.media.dir()) if n.startswith(args.media_prefix)])
    col.close()
    return {
        "sync": result,
        "found": found,
        "reviews": reviews,
        "mediaPresent": media_present,
        "mediaFiles": media_files,
    }


def cmd_force_full_upload(args: argparse.Namespace) -> dict[str, Any]:
    """A schema change uploaded from this device: every other device now needs a full sync."""
    col = _open(args.col)
    auth = _login(col, args)
    _sync(col, auth, media=False)
    col.mod_schema(check=False)
    _add_note(col, "after the schema change")
    _full(col, auth, upload=True)
    count = len(col.find_notes(""))
    col.close()
    return {"notes": count}


def cmd_local(args: argparse.Namespace) -> dict[str, Any]:
    """What a collection holds, without syncing it."""
    col = _open(args.col)
    found = len(col.find_notes(args.query)) if args.query else None
    reviews = col.db.scalar("select count() from revlog") if col.db else None
    col.close()
    return {"found": found, "reviews": reviews}


def cmd_change(args: argparse.Namespace) -> dict[str, Any]:
    """Another device adds a note with a file in it, reviews `--review` cards (Easy), and syncs both."""
    col = _open(args.col)
    reviewed: list[int] = []
    for _ in range(args.review):
        card = col.sched.getCard()
        if card is None:
            break
        col.sched.answerCard(card, 4)
        reviewed.append(int(card.id))
    name = col.media.write_data(args.media_name, os.urandom(args.media_bytes))
    _add_note(col, args.front, f'<img src="{name}">')
    result = _sync(col, _login(col, args), media=True, retries=1 if args.no_retry else 20)
    col.close()
    return {"sync": result, "media": name, "reviewed": reviewed, "syncedAt": time.time() * 1000}


def cmd_inventory(args: argparse.Namespace) -> dict[str, Any]:
    """Syncs (collection and media), then says what this device holds."""
    col = _open(args.col)
    result = _sync(col, _login(col, args), media=True)
    held = inventory(col)
    col.close()
    return {"sync": result, **held}


def _pickle(data: dict[str, Any]) -> bytes:
    return pickle.dumps(data, protocol=4)


def cmd_seed_base(args: argparse.Namespace) -> dict[str, Any]:
    """A fresh Anki base folder: no first-run dialogs, the profile signed in, add-ons installed."""
    base = Path(args.base)
    base.mkdir(parents=True, exist_ok=True)
    (base / "gldriver6").write_text("software")
    profile_dir = base / args.profile
    profile_dir.mkdir(exist_ok=True)
    key = None
    if args.user:
        col = Collection(str(profile_dir / "collection.anki2"))
        key = _login(col, args).hkey
        col.close()
    from aqt.profiles import ProfileManager  # noqa: F401 - proves the pickled shape matches this Anki

    global_meta = {
        "ver": 0,
        "updates": False,
        "created": 0,
        "id": 1,
        "lastMsg": 0,
        "suppressUpdate": False,
        "firstRun": False,
        "defaultLang": "en_US",
        "last_loaded_profile_name": args.profile,
        "check_for_updates": False,
    }
    profile: dict[str, Any] = {
        "mainWindowGeom": None,
        "mainWindowState": None,
        "numBackups": 50,
        "lastOptimize": 2**31,
        "searchHistory": [],
        "syncKey": key,
        "syncMedia": not args.no_media,
        "autoSync": not args.no_auto_sync,
        "allowHTML": False,
        "importMode": 1,
        "lastColour": "#00f",
        "stripHTML": True,
        "deleteMedia": False,
        "syncUser": args.user or None,
        "customSyncUrl": args.endpoint if args.user else None,
        "hostNum": 0,
        "autoSyncMediaMinutes": 0 if args.no_periodic else 15,
    }
    if args.network_timeout:
        # Anki's own setting: fault tests need not wait a minute for a silent server
        profile["networkTimeout"] = args.network_timeout
    db = base / "prefs21.db"
    if db.exists():
        db.unlink()
    conn = sqlite3.connect(db)
    conn.execute("create table profiles (name text primary key collate nocase, data blob not null)")
    conn.execute("insert into profiles values ('_global', ?)", (_pickle(global_meta),))
    conn.execute("insert into profiles values (?, ?)", (args.profile, _pickle(profile)))
    for extra in args.also_profile:
        # another profile on the same account, for profile switches
        (base / extra).mkdir(exist_ok=True)
        conn.execute("insert into profiles values (?, ?)", (extra, _pickle(profile)))
    conn.commit()
    conn.close()

    addons = base / "addons21"
    addons.mkdir(exist_ok=True)
    installed = None
    if args.addon:
        installed = install_addon(addons, args.addon)
    if args.driver:
        target = addons / "000_flipnem_test_driver"
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(args.driver, target, ignore=shutil.ignore_patterns("__pycache__"))
        # the driver reads what Anki holds the same way "another device" does
        shutil.copy(Path(__file__).with_name("inventory.py"), target / "inventory.py")
    if args.bad_key:
        # a key the server will reject (as after a password change elsewhere)
        conn = sqlite3.connect(db)
        profile["syncKey"] = "0" * 40
        conn.execute("update profiles set data = ? where name = ?", (_pickle(profile), args.profile))
        conn.commit()
        conn.close()
    config = {key: json.loads(value) for key, value in (item.split("=", 1) for item in args.config)}
    if args.close_bound:
        config["closeBoundSeconds"] = args.close_bound
    if config:
        meta = addons / PRODUCT / "meta.json"
        current = json.loads(meta.read_text()) if meta.exists() else {}
        current["config"] = {**current.get("config", {}), **config}
        meta.write_text(json.dumps(current))
    if args.managed:
        # what a sign-in through the add-on's panel leaves behind
        sys.path.insert(0, str(addons))
        from flipnem_sync.state_file import ProfileStore  # type: ignore[import-not-found]

        for name in [args.profile, *args.also_profile]:
            store = ProfileStore(base / name / "flipnem_sync")
            store.data.update(
                {
                    "managed": True,
                    "user": args.user,
                    "server": args.endpoint,
                    "previousSyncUrl": None,
                    "periodicMediaMinutes": args.minutes,
                }
            )
            if args.old_settings:
                # what version 1 wrote into every signed-in profile: a false that was never a choice
                store.data.update({"backgroundSync": False, "settingsApplied": True})
            else:
                store.data["settingsVersion"] = 2
            if args.sidebar_visible:
                store.data["sidebarVisible"] = True
            store.save()
    return {"base": str(base), "installed": installed}


def old_layout(base: Path, name: str) -> None:
    """What an earlier version left: a profile's state and the log inside the add-on's folder."""
    digest = hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", name)[:40] + f"-{digest}"
    user_files = base / "addons21" / PRODUCT / "user_files"
    old = user_files / "profiles"
    old.mkdir(parents=True, exist_ok=True)
    state = base / name / "flipnem_sync"
    for new_name, old_name in (("state.json", f"{stem}.json"), ("state.last-good.json", f"{stem}.last-good.json")):
        shutil.move(str(state / new_name), str(old / old_name))
    shutil.rmtree(state)
    log = base / "flipnem_sync" / "flipnem-sync.log"
    if log.exists():
        shutil.move(str(log), str(user_files / "flipnem-sync.log"))
        shutil.rmtree(log.parent)
    else:
        (user_files / "flipnem-sync.log").write_text("2026-01-01 00:00:00,000 INFO written by an earlier version\n")


def cmd_old_layout(args: argparse.Namespace) -> dict[str, Any]:
    old_layout(Path(args.base), args.profile)
    return {"moved": True}


def cmd_rename_profile(args: argparse.Namespace) -> dict[str, Any]:
    """Anki's own rename (Switch Profile > Rename), while Anki is closed."""
    from aqt.profiles import ProfileManager

    pm = ProfileManager(Path(args.base))
    pm.setupMeta()
    pm.name = args.profile
    pm.rename(args.to)
    return {"renamed": sorted(pm.profiles())}


def install_addon(addons: Path, path: str) -> Any:
    """Installs with Anki's own installer code, as Tools > Add-ons > Install from file does."""
    from aqt.addons import AddonManager

    manager = AddonManager.__new__(AddonManager)
    manager.mw = SimpleNamespace(pm=SimpleNamespace(addonFolder=lambda: str(addons)))  # type: ignore[assignment]
    result = manager.install(path)
    return {"type": type(result).__name__, "name": getattr(result, "name", None)}


def main() -> None:
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="cmd", required=True)

    def server_args(p: argparse.ArgumentParser) -> None:
        p.add_argument("--endpoint", required=True)
        p.add_argument("--user", default="")
        p.add_argument("--password", default=os.environ.get("FLIPNEM_TEST_PASSWORD", ""))

    p = sub.add_parser("seed-server")
    server_args(p)
    p.add_argument("--col", required=True)
    p.add_argument("--notes", type=int, default=1)
    p = sub.add_parser("download")
    server_args(p)
    p.add_argument("--col", required=True)
    p = sub.add_parser("add-note")
    server_args(p)
    p.add_argument("--col", required=True)
    p.add_argument("--front", required=True)
    p.add_argument("--back", default="")
    p.add_argument("--sync", action="store_true")
    p = sub.add_parser("sync")
    server_args(p)
    p.add_argument("--col", required=True)
    p.add_argument("--media", action="store_true")
    p.add_argument("--query", default="")
    p.add_argument("--media-name", default="")
    p.add_argument("--media-prefix", default="")
    p = sub.add_parser("change")
    server_args(p)
    p.add_argument("--col", required=True)
    p.add_argument("--front", required=True)
    p.add_argument("--media-name", required=True)
    p.add_argument("--media-bytes", type=int, default=3000)
    p.add_argument("--review", type=int, default=0)
    p.add_argument("--no-retry", action="store_true")
    p = sub.add_parser("inventory")
    server_args(p)
    p.add_argument("--col", required=True)
    p = sub.add_parser("force-full-upload")
    server_args(p)
    p.add_argument("--col", required=True)
    p = sub.add_parser("local")
    p.add_argument("--col", required=True)
    p.add_argument("--query", default="")
    p = sub.add_parser("seed-base")
    server_args(p)
    p.add_argument("--base", required=True)
    p.add_argument("--profile", default="User 1")
    p.add_argument("--addon", default="")
    p.add_argument("--driver", default="")
    p.add_argument("--managed", action="store_true")
    p.add_argument("--old-settings", action="store_true")
    p.add_argument("--config", action="append", default=[], help="KEY=JSON, the user's add-on config")
    p.add_argument("--network-timeout", type=int)
    p.add_argument("--minutes", type=int, default=15)
    p.add_argument("--sidebar-visible", action="store_true")
    p.add_argument("--close-bound", type=int, default=0)
    p.add_argument("--bad-key", action="store_true")
    p.add_argument("--also-profile", action="append", default=[])
    p.add_argument("--no-media", action="store_true")
    p.add_argument("--no-auto-sync", action="store_true")
    p.add_argument("--no-periodic", action="store_true")
    p = sub.add_parser("old-layout")
    p.add_argument("--base", required=True)
    p.add_argument("--profile", default="User 1")
    p = sub.add_parser("rename-profile")
    p.add_argument("--base", required=True)
    p.add_argument("--profile", default="User 1")
    p.add_argument("--to", required=True)
    args = parser.parse_args()
    handler = {
        "old-layout": cmd_old_layout,
        "rename-profile": cmd_rename_profile,
        "seed-server": cmd_seed_server,
        "download": cmd_download,
        "add-note": cmd_add_note,
        "sync": cmd_sync,
        "seed-base": cmd_seed_base,
        "local": cmd_local,
        "force-full-upload": cmd_force_full_upload,
        "change": cmd_change,
        "inventory": cmd_inventory,
    }[args.cmd]
    print(json.dumps(handler(args)))


if __name__ == "__main__":
    main()
