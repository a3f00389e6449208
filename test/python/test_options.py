"""The panel's "More" options: where each lives, what each may be, and the sidebar shortcut's rule."""

import os
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from addon import storage
from addon.shortcut import normal, shortcut_problem, taken_in


def config(**over: Any) -> dict[str, Any]:
    return {**storage.DEFAULTS, **over}


def test_every_option_is_either_the_profiles_or_the_add_ons() -> None:
    assert set(storage.PROFILE_OPTIONS).isdisjoint(storage.ADDON_OPTIONS)
    assert set(storage.OPTION_KEYS) == {
        "idleSeconds",
        "statusCheckMinutes",
        "lastingFailureMinutes",
        "allowMetered",
        "closeBoundSeconds",
        "closeTotalSeconds",
        "sidebarShortcut",
    }


def test_a_profile_option_it_chose_wins_over_config_and_an_invalid_stored_one_does_not() -> None:
    values = storage.options(config(idleSeconds=30), {"idleSeconds": 20, "statusCheckMinutes": 2})
    assert values["idleSeconds"] == 20
    assert values["statusCheckMinutes"] == storage.DEFAULTS["statusCheckMinutes"]
    assert storage.options(config(idleSeconds=30), {})["idleSeconds"] == 30
    # an add-on-wide option is never read from a profile
    assert storage.options(config(), {"closeBoundSeconds": 7})["closeBoundSeconds"] == 20


def test_tuning_is_what_the_profile_has_now() -> None:
    assert storage.tuning(storage.options(config(allowMetered=True), {"idleSeconds": 60})) == {
        "idleSeconds": 60,
        "statusCheckMinutes": 30,
        "lastingFailureMinutes": 240,
        "allowMetered": True,
    }


def test_setting_a_profile_option_writes_the_profile_only_and_reset_follows_config_again() -> None:
    local: dict[str, Any] = {}
    assert storage.set_option("idleSeconds", 25, local, {"idleSeconds": 40}) is None
    assert local == {"idleSeconds": 25}
    assert storage.set_option("idleSeconds", None, local, {}) is None
    assert local == {}


def test_setting_an_add_on_option_touches_only_its_key_in_the_users_config() -> None:
    raw = {"closeBoundSeconds": "soon", "unknown": 1}
    written = storage.set_option("allowMetered", True, {}, raw)
    assert written == {"closeBoundSeconds": "soon", "unknown": 1, "allowMetered": True}
    assert raw == {"closeBoundSeconds": "soon", "unknown": 1}
    assert storage.set_option("allowMetered", None, {}, written) == {"closeBoundSeconds": "soon", "unknown": 1}
    # a config that is not an object starts afresh
    assert storage.set_option("closeTotalSeconds", 60, {}, None) == {"closeTotalSeconds": 60}


def test_reset_brings_back_configs_value_for_a_profile_and_the_shipped_one_for_the_add_on() -> None:
    defaults = storage.option_defaults(config(idleSeconds=30, closeBoundSeconds=9))
    assert defaults["idleSeconds"] == 30
    assert defaults["closeBoundSeconds"] == storage.DEFAULTS["closeBoundSeconds"]


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("idleSeconds", 4, "from 5 to 3600"),
        ("idleSeconds", 2.5, "whole number"),
        ("closeBoundSeconds", 301, "from 5 to 300"),
        ("closeTotalSeconds", 9, "from 10 to 3600"),
        ("allowMetered", "yes", "true or false"),
    ],
)
def test_an_out_of_range_option_is_refused_in_words(key: str, value: Any, words: str) -> None:
    problem = storage.check_value(key, value)
    assert problem is not None and words in problem


def test_a_profile_keeps_its_options_in_its_state_file_checked_as_config_checks_them() -> None:
    from addon.state_file import STATE_SCHEMA

    for key in storage.PROFILE_OPTIONS:
        assert STATE_SCHEMA["properties"][key] == storage.CONFIG_SCHEMA["properties"][key]


@pytest.mark.parametrize("keys", ["d", "S", "Shift+A", "Ctrl+B", "Alt+T", "Meta+Y", "shift+y"])
def test_the_shortcut_refuses_ankis_own_keys_and_their_one_modifier_forms(keys: str) -> None:
    problem = shortcut_problem(keys, {})
    assert problem is not None and "Anki's" in problem


@pytest.mark.parametrize(
    ("keys", "words"),
    [
        ("", "Type a shortcut"),
        ("garbage", "not a key"),
        ("Ctrl+Alt", "not a key"),
        ("Ctrl+K, Ctrl+L", "one key"),
        ("q", "needs Ctrl, Alt or Meta"),
        ("Shift+Q", "needs Ctrl, Alt or Meta"),
        (42, "Type a shortcut"),
    ],
)
def test_the_shortcut_refuses_what_is_not_one_usable_key(keys: Any, words: str) -> None:
    problem = shortcut_problem(keys, {})
    assert problem is not None and words in problem


def test_the_shortcut_refuses_a_key_anki_already_uses_and_names_it() -> None:
    assert (
        shortcut_problem("ctrl+p", {"Ctrl+P": "Preferences"}) == "Ctrl+P is Anki's Preferences already; choose another."
    )


@pytest.mark.parametrize("keys", ["Ctrl+Shift+Y", "Ctrl+Alt+F", "F6", "Ctrl+Shift+D", "Alt+Shift+K"])
def test_the_shortcut_takes_a_free_combination(keys: str) -> None:
    assert shortcut_problem(keys, {"Ctrl+P": "Preferences"}) is None


def test_a_shortcut_is_kept_as_qt_writes_it() -> None:
    assert normal(" ctrl+shift+k ") == "Ctrl+Shift+K"


def test_the_keys_taken_are_read_from_the_window_its_menus_and_shortcuts() -> None:
    from PyQt6.QtGui import QAction, QKeySequence, QShortcut
    from PyQt6.QtWidgets import QApplication, QMainWindow

    _app = QApplication.instance() or QApplication([])
    window = QMainWindow()
    bar = window.menuBar()
    assert bar is not None
    tools = bar.addMenu("&Tools")
    assert tools is not None
    prefs = QAction("&Preferences...", window)
    prefs.setShortcut(QKeySequence("Ctrl+P"))
    tools.addAction(prefs)
    ours = QAction("Sidebar", window)
    ours.setShortcut(QKeySequence("Ctrl+Shift+Y"))
    QShortcut(QKeySequence("D"), window)

    class Form:
        menubar = bar

    window.form = Form()  # type: ignore[attr-defined]
    taken = taken_in(window, ours)
    assert taken["Ctrl+P"] == "Preferences"
    assert taken["D"] == "own"
    assert taken["Alt+T"] == "Tools menu"
    assert "Ctrl+Shift+Y" not in taken
