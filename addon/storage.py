"""Every setting and every piece of per-profile state, read and written in one place.

- The three seed switches are Anki's own profile keys, so Preferences shows the truth.
- The interval and add-on-only settings live per profile in the add-on's user_files.
- config.json only holds defaults for profiles that have none yet, and add-on-wide options.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .protocol import DEFINITION

FLIPNEM_SERVER = "https://sync.flipnem.com/"
# the page reads the same limits from protocol.json
MINUTES_MIN: int = DEFINITION["limits"]["periodicMediaMinutes"]["min"]
MINUTES_MAX: int = DEFINITION["limits"]["periodicMediaMinutes"]["max"]
ANKI_DEFAULT_MEDIA_MINUTES = 15

DEFAULTS: dict[str, Any] = {
    "autoSync": True,
    "syncMedia": True,
    "periodicMedia": True,
    "periodicMediaMinutes": 15,
    "backgroundSync": False,
    "closeBoundSeconds": 20,
    "sidebarShortcut": "Ctrl+Shift+Y",
}
_RULES: dict[str, tuple[type, int | None, int | None]] = {
    "autoSync": (bool, None, None),
    "syncMedia": (bool, None, None),
    "periodicMedia": (bool, None, None),
    "periodicMediaMinutes": (int, MINUTES_MIN, MINUTES_MAX),
    "backgroundSync": (bool, None, None),
    "closeBoundSeconds": (int, 5, 300),
    "sidebarShortcut": (str, None, None),
}


def check_value(key: str, value: Any) -> str | None:
    """None if `value` is valid for `key`, else a message saying what is allowed."""
    kind, low, high = _RULES[key]
    if kind is int:
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{key} must be a whole number from {low} to {high}"
        if low is not None and high is not None and not low <= value <= high:
            return f"{key} must be from {low} to {high}"
        return None
    if not isinstance(value, kind):
        return f"{key} must be {'true or false' if kind is bool else 'text'}"
    return None


def clean_config(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """Merge a (possibly hand-edited) config over the defaults; invalid values fall back."""
    config = dict(DEFAULTS)
    problems: list[str] = []
    if not isinstance(raw, dict):
        return config, ["The add-on's config is not a JSON object; defaults are used."]
    for key, value in raw.items():
        if key not in _RULES:
            continue
        problem = check_value(key, value)
        if problem:
            problems.append(f"Config: {problem}; using {DEFAULTS[key]!r}.")
        else:
            config[key] = value
    return config, problems


@dataclass
class Settings:
    autoSync: bool
    syncMedia: bool
    periodicMedia: bool
    periodicMediaMinutes: int
    backgroundSync: bool

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


def settings_from_profile(profile: dict[str, Any], local: dict[str, Any], config: dict[str, Any]) -> Settings:
    """Read the effective settings: Anki's keys first, then add-on storage, then defaults."""
    minutes = local.get("periodicMediaMinutes", config["periodicMediaMinutes"])
    if check_value("periodicMediaMinutes", minutes):
        minutes = config["periodicMediaMinutes"]
    anki_minutes = profile.get("autoSyncMediaMinutes", ANKI_DEFAULT_MEDIA_MINUTES)
    background = local.get("backgroundSync", config["backgroundSync"])
    return Settings(
        autoSync=bool(profile.get("autoSync", config["autoSync"])),
        syncMedia=bool(profile.get("syncMedia", config["syncMedia"])),
        periodicMedia=bool(anki_minutes),
        periodicMediaMinutes=int(minutes),
        backgroundSync=bool(background),
    )


def default_settings(config: dict[str, Any]) -> Settings:
    return Settings(
        autoSync=bool(config["autoSync"]),
        syncMedia=bool(config["syncMedia"]),
        periodicMedia=bool(config["periodicMedia"]),
        periodicMediaMinutes=int(config["periodicMediaMinutes"]),
        backgroundSync=bool(config["backgroundSync"]),
    )


def apply_settings(settings: Settings, profile: dict[str, Any], local: dict[str, Any]) -> None:
    """Write settings back where each belongs. Anki's timer key stays 15 or 0, as Preferences writes it."""
    profile["autoSync"] = settings.autoSync
    profile["syncMedia"] = settings.syncMedia
    profile["autoSyncMediaMinutes"] = ANKI_DEFAULT_MEDIA_MINUTES if settings.periodicMedia else 0
    local["periodicMediaMinutes"] = settings.periodicMediaMinutes
    local["backgroundSync"] = settings.backgroundSync


def validate_settings(data: Any) -> tuple[Settings | None, str | None]:
    if not isinstance(data, dict):
        return None, "settings must be an object"
    fields = ["autoSync", "syncMedia", "periodicMedia", "periodicMediaMinutes", "backgroundSync"]
    for key in fields:
        if key not in data:
            return None, f"{key} is missing"
        problem = check_value(key, data[key])
        if problem:
            return None, problem
    return Settings(**{k: data[k] for k in fields}), None


class ProfileStore:
    """The add-on's own per-profile file under user_files (kept across upgrades)."""

    def __init__(self, user_files: Path, profile_name: str) -> None:
        digest = hashlib.sha1(profile_name.encode("utf-8")).hexdigest()[:8]
        safe = re.sub(r"[^A-Za-z0-9_-]", "_", profile_name)[:40]
        self.path = user_files / "profiles" / f"{safe}-{digest}.json"
        self.problem: str | None = None
        self.data: dict[str, Any] = self._load()

    def _load(self) -> dict[str, Any]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError):
            # keep the unreadable file for the user; start afresh beside it
            self.problem = "Flipnem Sync could not read its saved state; it was kept as a .bad file."
            try:
                os.replace(self.path, self.path.with_suffix(".bad"))
            except OSError:
                pass
            return {}
        return raw if isinstance(raw, dict) else {}

    @property
    def managed(self) -> bool:
        return bool(self.data.get("managed"))

    def snapshot(self) -> str:
        """The data as text, taken where it is changed (the main thread); writing can then happen anywhere."""
        return json.dumps(self.data, ensure_ascii=False)

    def write(self, text: str) -> None:
        """Atomic write, so a crash mid-write never loses the previous state."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, self.path)

    def save(self) -> None:
        self.write(self.snapshot())
