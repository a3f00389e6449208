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
from .schemas import Schema

FLIPNEM_SERVER = "https://sync.flipnem.com/"
ANKI_DEFAULT_MEDIA_MINUTES = 15
# a profile's settings written by this version; version 1 wrote backgroundSync: false into every profile
SETTINGS_VERSION: int = DEFINITION["settingsVersion"]
TUNING_KEYS = ("idleSeconds", "statusCheckMinutes", "lastingFailureMinutes", "allowMetered")
# where each option of the panel's "More" lives, said beside it there: how this profile's
# account is kept in step belongs to the profile; this computer's connection, how long Anki
# may wait at its close, and a key of Anki's window belong to the whole add-on
PROFILE_OPTIONS = ("idleSeconds", "statusCheckMinutes", "lastingFailureMinutes")
ADDON_OPTIONS = ("allowMetered", "closeBoundSeconds", "closeTotalSeconds", "sidebarShortcut")
OPTION_KEYS = PROFILE_OPTIONS + ADDON_OPTIONS

# config.json ships the defaults; the page reads the same file
DEFAULTS: dict[str, Any] = json.loads((Path(__file__).parent / "config.json").read_text(encoding="utf-8"))


def _whole(name: str) -> dict[str, Any]:
    """A whole number within protocol.json's limit of the same name, which the page keeps to as well."""
    limit = DEFINITION["limits"][name]
    return {"type": "integer", "minimum": limit["min"], "maximum": limit["max"]}


# what each config value may be (config.md says it in words); other keys are ignored
CONFIG_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "autoSync": {"type": "boolean"},
        "syncMedia": {"type": "boolean"},
        "periodicMedia": {"type": "boolean"},
        "periodicMediaMinutes": _whole("periodicMediaMinutes"),
        "backgroundSync": {"type": "boolean"},
        "closeBoundSeconds": _whole("closeBoundSeconds"),
        "closeTotalSeconds": _whole("closeTotalSeconds"),
        "idleSeconds": _whole("idleSeconds"),
        "statusCheckMinutes": _whole("statusCheckMinutes"),
        "lastingFailureMinutes": _whole("lastingFailureMinutes"),
        "allowMetered": {"type": "boolean"},
        "sidebarShortcut": {"type": "string"},
    },
}
_CONFIG = Schema(CONFIG_SCHEMA)


def _words(key: str, error: Any) -> str:
    """What `key` may be, said for the user, from its schema and the way the value missed it."""
    rule = CONFIG_SCHEMA["properties"][key]
    if rule["type"] != "integer":
        return f"{key} must be {'true or false' if rule['type'] == 'boolean' else 'text'}"
    low, high = rule["minimum"], rule["maximum"]
    if error.validator == "type":
        return f"{key} must be a whole number from {low} to {high}"
    return f"{key} must be from {low} to {high}"


def check_value(key: str, value: Any) -> str | None:
    """None if `value` is valid for `key`, else a message saying what is allowed."""
    if key not in CONFIG_SCHEMA["properties"]:
        raise KeyError(key)
    errors = _CONFIG.errors({key: value})
    return _words(key, errors[0]) if errors else None


def _shipped(key: str, value: Any) -> bool:
    default = DEFAULTS[key]
    return type(value) is type(default) and value == default


def clean_config(raw: Any) -> tuple[dict[str, Any], list[str]]:
    """Merge a (possibly hand-edited) config over the defaults; invalid values fall back."""
    config = dict(DEFAULTS)
    if not isinstance(raw, dict):
        shape = "empty" if raw is None else f"{type(raw).__name__}, not an object"
        return config, [f"Config: Flipnem Sync's config in Tools > Add-ons is {shape}; its defaults are used."]
    # a value as shipped fits (a test says so): an unchanged config loads without jsonschema
    changed = {k: v for k, v in raw.items() if k in CONFIG_SCHEMA["properties"] and not _shipped(k, v)}
    bad: dict[str, Any] = {}
    for error in _CONFIG.errors(changed) if changed else []:
        bad.setdefault(error.path[0], error)
    problems = [f"Config: {_words(key, bad[key])}; using {DEFAULTS[key]!r}." for key in changed if key in bad]
    config.update({key: value for key, value in changed.items() if key not in bad})
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


def options(config: dict[str, Any], local: dict[str, Any] | None) -> dict[str, Any]:
    """Every option's value now: a profile's own where it chose one (and it is valid), else config's."""
    chosen = {key: local[key] for key in PROFILE_OPTIONS if local and key in local}
    values = {key: config[key] for key in OPTION_KEYS}
    values.update({key: value for key, value in chosen.items() if check_value(key, value) is None})
    return values


def option_defaults(config: dict[str, Any]) -> dict[str, Any]:
    """What "Reset" brings back: a profile's option follows config, an add-on-wide one is shipped as in config.json."""
    return {key: config[key] if key in PROFILE_OPTIONS else DEFAULTS[key] for key in OPTION_KEYS}


def defaults(config: dict[str, Any]) -> dict[str, Any]:
    """What a new connection and every Reset start from: Flipnem's address, the switches, the options."""
    return {
        "server": FLIPNEM_SERVER,
        "settings": default_settings(config).to_json(),
        "options": option_defaults(config),
    }


def tuning(values: dict[str, Any]) -> dict[str, Any]:
    """The timings and the metered switch among the options (`options`), as the page's orchestrator reads them."""
    return {key: values[key] for key in TUNING_KEYS}


def set_option(key: str, value: Any, local: dict[str, Any], raw_config: Any) -> Any:
    """Writes a checked option where it lives; returns the add-on config to write, or None.

    `value` None is back to the default: the profile follows config again, config ships its own.
    Only the key changed is touched in the user's config, so a hand edit elsewhere stays as it is.
    """
    if key in PROFILE_OPTIONS:
        if value is None:
            local.pop(key, None)
        else:
            local[key] = value
        return None
    written = dict(raw_config) if isinstance(raw_config, dict) else {}
    if value is None:
        written.pop(key, None)
    else:
        written[key] = value
    return written


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


def write_user_config(manager: Any, module: str, config: dict[str, Any]) -> None:
    """The user's config back into meta.json, where Anki keeps it and a hand edit finds it."""
    manager.writeConfig(module, config)
