"""The add-on's per-profile state file: read strictly, written atomically with a last good copy beside it.

A file the add-on could not have written (not JSON, NaN or Infinity, not an object, nested
deeper than it ever nests) is unreadable: it is kept as .bad and the last good copy is used.
Every known value is checked against STATE_SCHEMA as it is loaded.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .schemas import Schema
from .storage import CONFIG_SCHEMA

log = logging.getLogger("flipnem_sync")

# deeper than anything the add-on writes: a file nested beyond this is not ours
MAX_DEPTH = 16
# what each stored value must be; a value that does not fit is dropped and its default used
STATE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "managed": {"type": "boolean"},
        "user": {"type": "string"},
        "server": {"type": "string"},
        "previousSyncUrl": {"type": ["string", "null"]},
        "keyAccepted": {"type": ["boolean", "null"]},
        "settingsApplied": {"type": "boolean"},
        "periodicMediaMinutes": CONFIG_SCHEMA["properties"]["periodicMediaMinutes"],
        "idleSeconds": CONFIG_SCHEMA["properties"]["idleSeconds"],
        "statusCheckMinutes": CONFIG_SCHEMA["properties"]["statusCheckMinutes"],
        "lastingFailureMinutes": CONFIG_SCHEMA["properties"]["lastingFailureMinutes"],
        "backgroundSync": {"type": "boolean"},
        "sidebarVisible": {"type": "boolean"},
        "sidebarArea": {"enum": ["left", "right"]},
        "state": {"type": "object"},
        "lastClose": {"type": "object"},
    },
}
_STATE = Schema(STATE_SCHEMA)


class Unreadable(ValueError):
    """A state file that is not one the add-on could have written."""


def _refuse_number(text: str) -> float:
    value = float(text)
    if value != value or value in (float("inf"), float("-inf")):
        raise Unreadable(f"{text} is not a finite number")
    return value


def _refuse_constant(name: str) -> Any:
    raise Unreadable(f"{name} is not a number")


def _depth(value: Any) -> int:
    """How deeply `value` nests, without recursion (a hostile file must not exhaust the stack)."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, level)
        if deepest > MAX_DEPTH:
            return deepest
        todo.extend((child, level + 1) for child in children)
    return deepest


def parse_state(text: str) -> dict[str, Any]:
    """The object in a state file; raises Unreadable for anything else (NaN, Infinity, a list, deep nesting)."""
    try:
        data = json.loads(text, parse_float=_refuse_number, parse_constant=_refuse_constant)
    except RecursionError:
        raise Unreadable("nested too deeply") from None
    except ValueError as err:
        raise Unreadable(str(err)) from None
    if not isinstance(data, dict):
        raise Unreadable("not an object")
    if _depth(data) > MAX_DEPTH:
        raise Unreadable("nested too deeply")
    return data


def clean_state(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Keeps each known value only when it fits its schema; names the ones dropped."""
    bad = {error.path[0] for error in _STATE.errors(raw) if error.path}
    dropped = [key for key in STATE_SCHEMA["properties"] if key in bad]
    return {key: value for key, value in raw.items() if key not in bad}, dropped


class ProfileStore:
    """The add-on's own file in its folder of a profile (places.py), with its last good copy beside it."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / "state.json"
        self.good_path = folder / "state.last-good.json"
        self.problem: str | None = None
        self.data: dict[str, Any] = self._load()

    def _read(self, path: Path) -> dict[str, Any] | None:
        """The file's object; None when there is no file; raises Unreadable."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except (OSError, UnicodeDecodeError) as err:
            raise Unreadable(str(err)) from None
        return parse_state(text)

    def _load(self) -> dict[str, Any]:
        damaged = False
        try:
            raw = self._read(self.path)
        except Unreadable:
            damaged = True
            raw = None
            # keep the unreadable file for the user; the last good copy takes its place
            try:
                os.replace(self.path, self.path.with_suffix(".bad"))
            except OSError:
                pass
        if raw is None:
            try:
                raw = self._read(self.good_path)
            except Unreadable:
                raw = None
            if raw is not None and damaged:
                self.problem = (
                    "Flipnem Sync could not read its saved state (kept as a .bad file); its last good copy is used."
                )
            elif damaged:
                self.problem = "Flipnem Sync could not read its saved state; it was kept as a .bad file."
        if raw is None:
            return {}
        data, dropped = clean_state(raw)
        if dropped and self.problem is None:
            self.problem = f"Flipnem Sync reset saved values that were not valid: {', '.join(dropped)}."
        return data

    @property
    def managed(self) -> bool:
        return self.data.get("managed") is True

    def snapshot(self) -> str:
        """The data as text, taken where it is changed (the main thread); writing can then happen anywhere."""
        return json.dumps(self.data, ensure_ascii=False, allow_nan=False)

    def write(self, text: str) -> None:
        """Atomic writes, so a crash mid-write never loses the previous state; then the last good copy."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for path in (self.path, self.good_path):
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    f.write(text)
                os.replace(tmp, path)
            except BaseException:
                # a failed write leaves nothing behind: the file it was to replace stays whole
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
                raise

    def save(self) -> None:
        self.write(self.snapshot())


# Anki's own profile also records that the add-on signed it in, so losing the add-on's files loses nothing
PROFILE_RECORD = "flipnemSync"


def remember_managed(profile: dict[str, Any], store: ProfileStore) -> None:
    if store.managed and isinstance(store.data.get("user"), str) and isinstance(store.data.get("server"), str):
        profile[PROFILE_RECORD] = {"user": store.data["user"], "server": store.data["server"]}
    else:
        profile.pop(PROFILE_RECORD, None)


def recover_managed(profile: dict[str, Any], store: ProfileStore) -> bool:
    """A store that lost its record takes it back from Anki's profile, while the profile still holds that account."""
    record = profile.get(PROFILE_RECORD)
    # only a store that lost its own answer: a sign-out or a rejected key says "not managed" itself
    if "managed" in store.data or not isinstance(record, dict):
        return False
    user, server = record.get("user"), record.get("server")
    if not (isinstance(user, str) and isinstance(server, str) and profile.get("syncKey")):
        return False
    if profile.get("syncUser") != user or profile.get("customSyncUrl") != server:
        return False
    store.data.update({"managed": True, "user": user, "server": server})
    return True


class StoreWriter:
    """Snapshots on the main thread, writes off it, so disk never blocks Anki; an older snapshot never wins."""

    def __init__(self, run_in_background: Callable[[Callable[[], None], Callable[[Any], None]], Any]) -> None:
        self._run = run_in_background
        self.lock = threading.Lock()
        self._seq = 0
        self._written = 0

    def write(self, store: ProfileStore | None, then: Callable[[], None] | None = None) -> None:
        if store is None:
            if then is not None:
                then()
            return
        try:
            text = store.snapshot()
        except ValueError:
            log.exception("the add-on's state could not be written as JSON; the last saved state stays")
            if then is not None:
                then()
            return
        self._seq += 1
        seq = self._seq

        def write() -> None:
            with self.lock:
                # writes may run out of order on the pool
                if seq > self._written:
                    store.write(text)
                    self._written = seq

        def done(fut: Any) -> None:
            if fut.exception() is not None:
                log.error("could not save the add-on's state: %s", fut.exception())
            if then is not None:
                then()

        self._run(write, done)
