"""Anki 24.06 can run on Qt 5: the add-on then only says it needs Qt 6, in one line."""

from __future__ import annotations

import types
from typing import Any

import aqt
import aqt.qt
import pytest

import addon
import addon.main


class FakeAction:
    def __init__(self, text: str) -> None:
        self.text = text
        self.enabled = True

    def setEnabled(self, enabled: bool) -> None:  # noqa: N802 - Qt's name
        self.enabled = enabled


def fake_mw(added: list[FakeAction]) -> Any:
    def add_action(text: str) -> FakeAction:
        added.append(FakeAction(text))
        return added[-1]

    return types.SimpleNamespace(form=types.SimpleNamespace(menuTools=types.SimpleNamespace(addAction=add_action)))


@pytest.mark.parametrize(("qt", "starts"), [(5, False), (6, True)])
def test_on_qt5_the_addon_only_says_it_needs_qt6(monkeypatch: pytest.MonkeyPatch, qt: int, starts: bool) -> None:
    added: list[FakeAction] = []
    started: list[bool] = []
    monkeypatch.setattr(aqt, "mw", fake_mw(added))
    monkeypatch.setattr(aqt.qt, "qtmajor", qt)
    monkeypatch.setattr(addon.main, "start", lambda _began: started.append(True))
    addon._start()
    assert started == ([True] if starts else [])
    assert [(a.text, a.enabled) for a in added] == ([] if starts else [(addon.QT6_NEEDED, False)])


def test_the_qt5_line_never_raises_into_anki(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(aqt, "mw", types.SimpleNamespace())  # no menu to add to
    monkeypatch.setattr(aqt.qt, "qtmajor", 5)
    addon._start()
    assert addon.QT6_NEEDED in capsys.readouterr().err


def test_a_profiles_state_loads_once_per_open_and_survives_its_collection_reloaded(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    """24.06 asks for the open sync before profile_did_open, so the state loads at collection_did_load;
    an import that reloads the same profile's collection keeps what this session holds."""
    monkeypatch.setattr(
        addon.main,
        "mw",
        types.SimpleNamespace(pm=types.SimpleNamespace(name="User 1", profile={}, profileFolder=lambda: str(tmp_path))),
    )
    me: Any = types.SimpleNamespace(
        loaded_profile=None,
        store=None,
        old_user_files=tmp_path / "user_files",
        closing=True,
        quitting=True,
        host=types.SimpleNamespace(closed=True),
        _write_store=lambda *_: None,
    )
    addon.main.FlipnemSync.on_collection_loaded(me)
    # the last profile's close let go of the collection: this one's syncs may start
    assert me.host.closed is False
    loaded = me.store
    assert loaded is not None and me.loaded_profile == "User 1"
    assert (me.closing, me.quitting) == (False, False)

    me.closing = True
    addon.main.FlipnemSync.on_collection_loaded(me)  # the same profile's collection, loaded again
    assert me.store is loaded and me.closing is True

    me.loaded_profile = None  # the profile closed (profile_will_close), then opened again
    addon.main.FlipnemSync.on_collection_loaded(me)
    assert me.store is not loaded and me.closing is False
