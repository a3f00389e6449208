"""Broken and hostile files: the state file, its last good copy, the config, and Anki's profile record."""

import json
import math
from pathlib import Path

import pytest

from addon import schemas, state_file, storage
from addon.state_file import ProfileStore, Unreadable, parse_state

GOOD = {
    "managed": True,
    "user": "u",
    "server": "http://127.0.0.1:1/",
    "periodicMediaMinutes": 7,
    "state": {"history": [{"kind": "collection", "trigger": "open", "startedAt": 1, "durationMs": 2, "outcome": "ok"}]},
}


def saved(tmp_path: Path, data: dict | None = None) -> ProfileStore:
    store = ProfileStore(tmp_path)
    store.data = dict(data if data is not None else GOOD)
    store.save()
    return store


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        '{"a": NaN}',
        '{"a": Infinity}',
        '{"a": -Infinity}',
        '{"a": 1e999}',
        "[]",
        '"text"',
        "null",
        "3",
        "[" * 100_000 + "]" * 100_000,
        '{"a":' * 40 + "1" + "}" * 40,
    ],
)
def test_parse_state_refuses_what_the_add_on_never_writes(text: str) -> None:
    with pytest.raises(Unreadable):
        parse_state(text)


def test_parse_state_takes_an_ordinary_file() -> None:
    assert parse_state(json.dumps(GOOD)) == GOOD


def test_every_write_leaves_a_last_good_copy(tmp_path: Path) -> None:
    store = saved(tmp_path)
    assert json.loads(store.good_path.read_text()) == GOOD
    assert json.loads(store.path.read_text()) == GOOD


@pytest.mark.parametrize("damage", ["{broken", '{"managed": NaN}', "[1, 2]", "[" * 5000 + "]" * 5000, ""])
def test_a_damaged_file_falls_back_to_its_last_good_copy(tmp_path: Path, damage: str) -> None:
    store = saved(tmp_path)
    store.path.write_text(damage)
    again = ProfileStore(tmp_path)
    assert again.data == GOOD
    assert again.managed
    assert again.problem and "last good copy" in again.problem
    assert store.path.with_suffix(".bad").read_text() == damage


def test_a_damaged_file_without_a_good_copy_starts_afresh_and_says_so(tmp_path: Path) -> None:
    store = saved(tmp_path)
    store.good_path.unlink()
    store.path.write_text("{broken")
    again = ProfileStore(tmp_path)
    assert again.data == {}
    assert again.problem and ".bad" in again.problem


def test_no_files_at_all_is_a_fresh_profile_without_a_problem(tmp_path: Path) -> None:
    store = ProfileStore(tmp_path)
    assert store.data == {} and store.problem is None


def test_wrong_types_are_dropped_and_named(tmp_path: Path) -> None:
    saved(
        tmp_path,
        {
            **GOOD,
            "backgroundSync": "no",
            "sidebarVisible": "no",
            "sidebarArea": "top",
            "periodicMediaMinutes": 0,
            "managed": 1,
            "state": [],
        },
    )
    store = ProfileStore(tmp_path)
    for key in ("backgroundSync", "sidebarVisible", "sidebarArea", "periodicMediaMinutes", "managed", "state"):
        assert key not in store.data
    assert not store.managed
    assert store.problem and "backgroundSync" in store.problem and "sidebarVisible" in store.problem


def test_the_state_schema_is_json_schema_and_only_drops_what_misses_it() -> None:
    schemas.check_schema(state_file.STATE_SCHEMA)
    raw = {**GOOD, "previousSyncUrl": None, "keyAccepted": 1, "sidebarArea": "left", "settingsVersion": 2, "x": [1]}
    clean, dropped = state_file.clean_state(raw)
    assert dropped == ["keyAccepted"]
    assert clean == {k: v for k, v in raw.items() if k != "keyAccepted"}


def test_switches_read_as_booleans_only() -> None:
    config = dict(storage.DEFAULTS)
    settings = storage.settings_from_profile(
        {"autoSync": "no", "syncMedia": 0, "autoSyncMediaMinutes": "15"}, {"backgroundSync": "no"}, config
    )
    assert settings.autoSync is True and settings.syncMedia is True
    assert settings.periodicMedia is True
    # "no" is not a choice: the default (on since settings version 2)
    assert settings.backgroundSync is True
    off = storage.settings_from_profile(
        {"autoSync": False, "autoSyncMediaMinutes": 0}, {"backgroundSync": False}, config
    )
    assert off.autoSync is False and off.periodicMedia is False and off.backgroundSync is False


@pytest.mark.parametrize("raw", ["a string", None, [1, 2], 3, True])
def test_a_config_of_any_shape_gives_the_defaults_and_one_line(raw: object) -> None:
    config, problems = storage.clean_config(raw)
    assert config == storage.DEFAULTS
    assert len(problems) == 1 and problems[0].startswith("Config:")


def test_the_profile_record_brings_back_a_lost_store(tmp_path: Path) -> None:
    store = saved(tmp_path)
    profile = {"syncKey": "k", "syncUser": "u", "customSyncUrl": "http://127.0.0.1:1/"}
    state_file.remember_managed(profile, store)
    assert profile[state_file.PROFILE_RECORD] == {"user": "u", "server": "http://127.0.0.1:1/"}
    store.path.unlink()
    store.good_path.unlink()
    lost = ProfileStore(tmp_path)
    assert not lost.managed
    assert state_file.recover_managed(profile, lost)
    assert lost.managed and lost.data["user"] == "u"


@pytest.mark.parametrize(
    "change",
    [{"syncKey": ""}, {"syncUser": "someone else"}, {"customSyncUrl": "https://sync.ankiweb.net/"}],
)
def test_the_profile_record_is_not_used_once_the_profile_holds_another_account(change: dict) -> None:
    profile = {
        "syncKey": "k",
        "syncUser": "u",
        "customSyncUrl": "http://x/",
        state_file.PROFILE_RECORD: {"user": "u", "server": "http://x/"},
        **change,
    }
    store = ProfileStore.__new__(ProfileStore)
    store.data = {}
    assert not state_file.recover_managed(profile, store)


def test_a_store_that_says_not_managed_is_believed(tmp_path: Path) -> None:
    profile = {
        "syncKey": "k",
        "syncUser": "u",
        "customSyncUrl": "http://x/",
        state_file.PROFILE_RECORD: {"user": "u", "server": "http://x/"},
    }
    store = saved(tmp_path, {"managed": False})
    assert not state_file.recover_managed(profile, store)
    state_file.remember_managed(profile, store)
    assert state_file.PROFILE_RECORD not in profile


def test_the_snapshot_never_holds_nan(tmp_path: Path) -> None:
    store = saved(tmp_path)
    store.data["lastClose"] = {"waitedSeconds": math.nan}
    with pytest.raises(ValueError):
        store.snapshot()
