"""Where the add-on keeps its files: never inside addons21/, which Anki's web server reaches.

Anki serves `/_addons/<add-on>/…` to card JavaScript and only checks that the file is inside
addons21/, so any add-on with a loose export lets a card read every other add-on's files. The
log (one for Anki) lives in a folder of the add-on's own under Anki's base folder; each
profile's state in one under the profile's folder, so renaming a profile keeps it. Neither is
the media folder. Uninstalling the add-on leaves both (they are the user's record).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from pathlib import Path

log = logging.getLogger("flipnem_sync")
DATA_FOLDER = "flipnem_sync"
LOG_NAME = "flipnem-sync.log"


def log_folder(base: Path) -> Path:
    return base / DATA_FOLDER


def profile_folder(profile_dir: Path) -> Path:
    return profile_dir / DATA_FOLDER


def _old_profile_stem(profile_name: str) -> str:
    """How versions before this one named a profile's file in the add-on's user_files."""
    digest = hashlib.sha1(profile_name.encode("utf-8")).hexdigest()[:8]
    safe = re.sub(r"[^A-Za-z0-9_-]", "_", profile_name)[:40]
    return f"{safe}-{digest}"


def _move(old: Path, new: Path) -> None:
    try:
        if not old.exists():
            return
        if new.exists():
            old.unlink()  # the newer file wins; the old one must not stay where cards can read it
        else:
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(old), str(new))
    except OSError as err:
        # left where it was; a profile's record of being signed in is also kept in Anki's profile
        log.warning("could not move %s out of the add-on's folder: %s", old.name, err)


def move_old_log(user_files: Path, folder: Path) -> None:
    """Once, on the first start after an upgrade: the log leaves the add-on's folder."""
    for suffix in ("", ".1"):
        _move(user_files / f"{LOG_NAME}{suffix}", folder / f"{LOG_NAME}{suffix}")


def move_old_state(user_files: Path, profile_name: str, folder: Path) -> None:
    """Once per profile after an upgrade: its state and last good copy leave the add-on's folder."""
    stem = _old_profile_stem(profile_name)
    old = user_files / "profiles"
    for old_name, new_name in (
        (f"{stem}.json", "state.json"),
        (f"{stem}.last-good.json", "state.last-good.json"),
        (f"{stem}.bad", "state.bad"),
    ):
        _move(old / old_name, folder / new_name)
    for leftover in old.glob(f"{stem}*.tmp") if old.is_dir() else ():
        leftover.unlink(missing_ok=True)
    _remove_if_empty(old)
    _remove_if_empty(user_files)


def _remove_if_empty(folder: Path) -> None:
    try:
        os.rmdir(folder)
    except OSError:
        pass  # not there, or still holding another profile's files
