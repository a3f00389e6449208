"""Every setting and every piece of per-profile state, read and written in one place.

- The three seed switches are Anki's own profile keys, so Preferences shows the truth.
- The interval and add-on-only settings live per profile in the add-on's folder of the profile (places.py).
- config.json only holds defaults for profiles that have none yet, and add-on-wide options.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .protocol import DEFINITION

FLIPNEM_SERVER = "https://sync.flipnem.com/"
# the page reads the same limits from protocol.json
MINUTES_MIN: int = DEFINITION["limits"]["periodicMediaMinutes"]["min"]
MINUTES_MAX: int = DEFINITION["limits"]["periodicMediaMinutes"]["max"]
ANKI_DEFAULT_MEDIA_MINUTES = 15
# a profile's settings written by this version; version 1 wrote backgroundSync: false into every profile
SETTINGS_VERSION: int = DEFINITION["settingsVersion"]
TUNING_KEYS = ("idleSeconds", "statusCheckMinutes", "lastingFailureMinutes", "allowMetered")

# config.json ships the defaults; the page reads the same file
DEFAULTS: dict[str, Any] = json.loads((Path(__file__).parent / "config.json").read_text(encoding="utf-8"))
_RULES: dict[str, tuple[type, int | None, int | None]] = {
    "autoSync": (bool, None, None),
    "syncMedia": (bool, None, None),
    "periodicMedia": (bool, None, None),
    "periodicMediaMinutes": (int, MINUTES_MIN, MINUTES_MAX),
    "backgroundSync": (bool, None, None),
    "closeBoundSeconds": (int, 5, 300),
    "closeTotalSeconds": (int, 10, 3600),
    "idleSeconds": (int, DEFINITION["limits"]["idleSeconds"]["min"], DEFINITION["limits"]["idleSeconds"]["max"]),
    "statusCheckMinutes": (
        int,
        DEFINITION["limits"]["statusCheckMinutes"]["min"],
        DEFINITION["limits"]["statusCheckMinutes"]["max"],
    ),
    "lastingFailureMinutes": (
        int,
        DEFINITION["limits"]["lastingFailureMinutes"]["min"],
        DEFINITION["limits"]["lastingFailureMinutes"]["max"],
    ),
    "allowMetered": (bool, None, None),
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
        shape = "empty" if raw is None else f"{type(raw).__name__}, not an object"
        return config, [f"Config: Flipnem Sync's config in Tools > Add-ons is {shape}; its defaults are used."]
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


def _bool(data: dict[str, Any], key: str, default: bool) -> bool:
    """A stored switch: only true or false count; anything else ("no", 1, null) is the default."""
    value = data.get(key)
    return value if isinstance(value, bool) else default


def settings_from_profile(profile: dict[str, Any], local: dict[str, Any], config: dict[str, Any]) -> Settings:
    """Read the effective settings: Anki's keys first, then add-on storage, then defaults."""
    minutes = local.get("periodicMediaMinutes", config["periodicMediaMinutes"])
    if check_value("periodicMediaMinutes", minutes):
        minutes = config["periodicMediaMinutes"]
    anki_minutes = profile.get("autoSyncMediaMinutes", ANKI_DEFAULT_MEDIA_MINUTES)
    if not isinstance(anki_minutes, int) or isinstance(anki_minutes, bool):
        anki_minutes = ANKI_DEFAULT_MEDIA_MINUTES if config["periodicMedia"] else 0
    return Settings(
        autoSync=_bool(profile, "autoSync", config["autoSync"]),
        syncMedia=_bool(profile, "syncMedia", config["syncMedia"]),
        periodicMedia=anki_minutes > 0,
        periodicMediaMinutes=int(minutes),
        backgroundSync=_bool(local, "backgroundSync", config["backgroundSync"]),
    )


def tuning(config: dict[str, Any]) -> dict[str, Any]:
    """The add-on-wide timings and the metered switch, as the page reads them."""
    return {key: config[key] for key in TUNING_KEYS}


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


def user_config(manager: Any, module: str) -> Any:
    """The user's config from meta.json, as it is (Anki's getConfig raises on one that is not an object)."""
    try:
        meta = manager.addonMeta(manager.addonFromModule(module))
    except Exception:  # noqa: BLE001 - an unreadable meta.json: the defaults, with a line saying so
        return None
    return meta.get("config", {}) if isinstance(meta, dict) else None
