import json
import subprocess
import sys
from pathlib import Path

from addon import schemas, state_file, storage


def test_defaults_match_the_seed() -> None:
    assert storage.DEFAULTS["autoSync"] is True
    assert storage.DEFAULTS["syncMedia"] is True
    assert storage.DEFAULTS["periodicMedia"] is True
    assert storage.DEFAULTS["periodicMediaMinutes"] == 15


def test_shipped_config_json_is_the_defaults() -> None:
    shipped = json.loads((Path(__file__).resolve().parents[2] / "addon/config.json").read_text())
    assert shipped == storage.DEFAULTS


def test_hand_edited_config_keeps_good_values_and_names_bad_ones() -> None:
    config, problems = storage.clean_config(
        {"periodicMediaMinutes": 0, "autoSync": "yes", "syncMedia": False, "unknown": 1}
    )
    assert config["periodicMediaMinutes"] == 15
    assert config["autoSync"] is True
    assert config["syncMedia"] is False
    assert len(problems) == 2
    assert any("periodicMediaMinutes" in p and "1440" in p for p in problems)


def test_config_that_is_not_an_object_falls_back() -> None:
    config, problems = storage.clean_config(["nope"])
    assert config == storage.DEFAULTS and problems


def test_minutes_bounds() -> None:
    assert storage.check_value("periodicMediaMinutes", 1) is None
    assert storage.check_value("periodicMediaMinutes", 1440) is None
    assert storage.check_value("periodicMediaMinutes", 1441)
    assert storage.check_value("periodicMediaMinutes", True)
    assert storage.check_value("periodicMediaMinutes", 2.5)


def test_settings_read_anki_keys_first() -> None:
    profile = {"autoSync": False, "syncMedia": True, "autoSyncMediaMinutes": 0}
    s = storage.settings_from_profile(profile, {"periodicMediaMinutes": 5}, storage.DEFAULTS)
    assert (s.autoSync, s.syncMedia, s.periodicMedia, s.periodicMediaMinutes) == (False, True, False, 5)


def test_settings_default_to_on_for_a_fresh_profile() -> None:
    s = storage.settings_from_profile({}, {}, storage.DEFAULTS)
    assert (s.autoSync, s.syncMedia, s.periodicMedia, s.periodicMediaMinutes) == (True, True, True, 15)


def test_apply_writes_anki_timer_as_15_or_0_and_keeps_interval_local() -> None:
    profile: dict = {}
    local: dict = {}
    storage.apply_settings(storage.Settings(True, False, True, 7, False), profile, local)
    assert profile == {"autoSync": True, "syncMedia": False, "autoSyncMediaMinutes": 15}
    assert local["periodicMediaMinutes"] == 7
    storage.apply_settings(storage.Settings(True, False, False, 7, False), profile, local)
    assert profile["autoSyncMediaMinutes"] == 0


def test_validate_settings_refuses_bad_values() -> None:
    good = {
        "autoSync": True,
        "syncMedia": True,
        "periodicMedia": True,
        "periodicMediaMinutes": 15,
        "backgroundSync": False,
    }
    assert storage.validate_settings(good)[0] is not None
    assert storage.validate_settings({**good, "periodicMediaMinutes": 0})[1]
    assert storage.validate_settings({**good, "autoSync": 1})[1]
    assert storage.validate_settings({"autoSync": True})[1]


def test_store_round_trip_and_per_profile(tmp_path: Path) -> None:
    # each profile's file lives in that profile's own folder (places.py): a name never reaches a path
    a = state_file.ProfileStore(tmp_path / "User 1" / "flipnem_sync")
    a.data["managed"] = True
    a.save()
    assert state_file.ProfileStore(tmp_path / "User 1" / "flipnem_sync").managed
    assert not state_file.ProfileStore(tmp_path / "user" / "flipnem_sync").managed


def test_corrupt_store_is_kept_aside_and_reported(tmp_path: Path) -> None:
    a = state_file.ProfileStore(tmp_path / "flipnem_sync")
    a.path.parent.mkdir(parents=True)
    a.path.write_text("{not json")
    b = state_file.ProfileStore(tmp_path / "flipnem_sync")
    assert b.data == {} and b.problem
    assert a.path.with_suffix(".bad").read_text() == "{not json"


def test_the_config_schema_names_every_shipped_key_and_the_shipped_values_fit_it() -> None:
    # clean_config checks only what differs from these, so they must fit
    schemas.check_schema(storage.CONFIG_SCHEMA)
    assert set(storage.CONFIG_SCHEMA["properties"]) == set(storage.DEFAULTS)
    for key, value in storage.DEFAULTS.items():
        assert storage.check_value(key, value) is None, key


def test_config_problems_say_what_each_value_may_be() -> None:
    config, problems = storage.clean_config(
        {
            "closeBoundSeconds": 2,
            "idleSeconds": "60",
            "allowMetered": "yes",
            "sidebarShortcut": 5,
            "statusCheckMinutes": 5.0,
            "autoSync": 1,
            "lastingFailureMinutes": 10080,
        }
    )
    assert problems == [
        "Config: closeBoundSeconds must be from 5 to 300; using 20.",
        "Config: idleSeconds must be a whole number from 5 to 3600; using 10.",
        "Config: allowMetered must be true or false; using False.",
        "Config: sidebarShortcut must be text; using 'Ctrl+Shift+Y'.",
        "Config: statusCheckMinutes must be a whole number from 5 to 1440; using 30.",
        "Config: autoSync must be true or false; using True.",
    ]
    assert config == {**storage.DEFAULTS, "lastingFailureMinutes": 10080}
    assert config["autoSync"] is True and type(config["statusCheckMinutes"]) is int


def test_jsonschema_is_imported_by_the_first_check_not_when_the_add_on_loads() -> None:
    # its import takes longer than the add-on's whole start; a config as shipped needs no check
    code = """
import sys
import aqt
# some Ankis (24.06, 25.9) load jsonschema themselves: the add-on must still not need it to start
for name in [m for m in sys.modules if m == "jsonschema" or m.startswith("jsonschema.")]:
    del sys.modules[name]
import addon.main
from addon import storage
storage.clean_config(dict(storage.DEFAULTS))
storage.clean_config({})
assert "jsonschema" not in sys.modules, "imported at start"
storage.clean_config({"idleSeconds": 0})
assert "jsonschema" in sys.modules
"""
    subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[2], check=True, timeout=60)
