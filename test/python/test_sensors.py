"""What the sensors tell the page: where the user is, input, the network, the wall clock, changes, Preferences."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from addon import sensors

from .fakes import Signal, fake_mw, recorder

pytestmark = pytest.mark.usefixtures("fake_qt")


class Changes:
    def __init__(self, **flags: bool) -> None:
        self._flags = flags

    def ListFields(self) -> list[tuple[Any, bool]]:
        return [(SimpleNamespace(name=k), v) for k, v in self._flags.items()]


def test_sensors_report_facts_only_for_a_profile_that_is_ours() -> None:
    events, emit = recorder()
    reporting = [True]
    prefs_closed: list[bool] = []
    s = sensors.Sensors(emit, lambda: reporting[0], lambda: prefs_closed.append(True), lambda _acts: None)
    s.on_operation(Changes(card=True, study_queues=True), None)
    s.on_operation(Changes(), None)
    reporting[0] = False
    s.on_operation(Changes(note_text=True), None)
    assert events == [("localChange", {"kinds": ["card", "study_queues"]})]
    events.clear()

    reach = sensors.QNetworkInformation.Reachability
    s.on_reachability(reach.Online)
    s.on_reachability(reach.Disconnected)
    s.on_reachability(reach.Disconnected)
    s.on_metered(True)
    s.on_metered(True)
    assert events == [
        ("networkChanged", {"online": False, "metered": False}),
        ("networkChanged", {"online": False, "metered": True}),
    ]

    prefs = SimpleNamespace(finished=Signal())
    s.on_dialog_opened(None, "Preferences", prefs)
    s.on_dialog_opened(None, "Preferences", prefs)
    s.on_dialog_opened(None, "Browser", SimpleNamespace())
    prefs.finished.emit(0)
    assert events[2:] == [("preferencesChanged", {"open": True}), ("preferencesChanged", {"open": False})]
    assert prefs_closed == [True]


class Window:
    def __init__(self, visible: bool = True, kind: str = "Window") -> None:
        self._visible, self._kind = visible, kind

    def isVisible(self) -> bool:  # noqa: N802 - Qt's name
        return self._visible

    def isWindow(self) -> bool:  # noqa: N802
        return True

    def windowType(self) -> Any:  # noqa: N802
        return SimpleNamespace(name=self._kind)


class Browser(Window):
    pass


def test_the_place_is_the_screen_or_window_the_user_is_in(monkeypatch: pytest.MonkeyPatch) -> None:
    mw = fake_mw(state="review")
    windows: list[Any] = []
    modal: list[Any] = [None]
    monkeypatch.setattr(sensors, "mw", mw)
    monkeypatch.setattr(
        sensors, "QApplication", SimpleNamespace(activeModalWidget=lambda: modal[0], topLevelWidgets=lambda: windows)
    )
    seen = [sensors.current_place()]
    for state in ("overview", "deckBrowser", "profileManager"):
        mw.state = state
        seen.append(sensors.current_place())
    mw.state = "deckBrowser"
    windows.append(Window(kind="ToolTip"))
    windows.append(Window(visible=False))
    seen.append(sensors.current_place())
    windows.append(Window())
    seen.append(sensors.current_place())
    windows.append(Browser())
    seen.append(sensors.current_place())
    modal[0] = object()
    seen.append(sensors.current_place())
    assert seen == ["review", "overview", "deckBrowser", "other", "deckBrowser", "dialog", "editing", "dialog"]


def test_activity_is_told_on_change_quiet_after_the_time_asked_and_again_to_a_fresh_page(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    events, emit = recorder()
    mw = fake_mw(state="review")
    monkeypatch.setattr(sensors, "mw", mw)
    monkeypatch.setattr(
        sensors, "QApplication", SimpleNamespace(activeModalWidget=lambda: None, topLevelWidgets=lambda: [])
    )
    clock = [100.0]
    monkeypatch.setattr(sensors.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(sensors, "QTimer", SimpleNamespace(singleShot=lambda _ms, fn: fn()))
    inputs: list[bool] = []
    s = sensors.Sensors(emit, lambda: True, lambda: None, lambda acts: inputs.append(True), scale=0.5)
    s.check_activity()
    s.watch_input(60_000, 120_000)  # quiet after 30 s at this scale
    mw.state = "overview"
    s.check_activity()
    s.check_activity()
    clock[0] += 31
    s.check_activity()
    s.on_input()
    s.check_activity()
    # told on change only: a fresh page takes up what it was told from the journal
    assert events == [
        ("activityChanged", {"place": "review", "quiet": False, "active": True}),
        ("activityChanged", {"place": "overview", "quiet": False, "active": True}),
        ("activityChanged", {"place": "overview", "quiet": True, "active": True}),
        ("activityChanged", {"place": "overview", "quiet": False, "active": True}),
    ]
    assert inputs == [True]


def test_coming_back_is_said_once_with_how_long_the_user_was_away(monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    mw = SimpleNamespace(state="deckBrowser")
    monkeypatch.setattr(sensors, "mw", mw)
    monkeypatch.setattr(
        sensors, "QApplication", SimpleNamespace(activeModalWidget=lambda: None, topLevelWidgets=lambda: [])
    )
    clock = [100.0]
    monkeypatch.setattr(sensors.time, "monotonic", lambda: clock[0])
    s = sensors.Sensors(lambda n, d: events.append((n, d)), lambda: True, lambda: None, lambda acts: None, scale=0.5)
    s.watch_input(10_000, 120_000)  # at this scale: quiet after 5 s, a return after 60 s away
    inactive, active = sensors.Qt.ApplicationState.ApplicationInactive, sensors.Qt.ApplicationState.ApplicationActive
    s.on_application_state(inactive)
    clock[0] += 59
    s.on_application_state(active)  # back too soon: no return
    s.on_application_state(inactive)
    clock[0] += 70
    s.on_application_state(active)
    clock[0] += 1
    s.on_input()  # the first key after coming back is the same return
    clock[0] += 61
    s.on_input()  # a minute without input (scaled: two) while Anki stayed active
    clock[0] += 1
    s.on_input()
    away = [(d["active"], d.get("awayMs")) for _, d in events]
    assert away == [
        (True, None),
        (False, None),
        (True, None),
        (False, None),
        (True, 140_000),
        (True, None),  # the user's first key: no longer quiet, and no second return
        (True, 122_000),
    ]


def test_the_input_watch_notes_input_and_never_swallows_an_event() -> None:
    seen: list[bool] = []
    watch = sensors.InputWatch.__new__(sensors.InputWatch)
    watch._on_input = lambda acts: seen.append(True)
    watch._active = True
    press: Any = SimpleNamespace(type=lambda: sensors.QEvent.Type.KeyPress)
    paint: Any = SimpleNamespace(type=lambda: sensors.QEvent.Type.Paint)
    assert watch.eventFilter(None, press) is False
    assert watch.eventFilter(None, paint) is False
    watch._on_input = lambda acts: [][0]
    assert watch.eventFilter(None, press) is False
    assert seen == [True]


class FakeNetworkInfo:
    """Qt's network information, for a backend that can tell `features`."""

    def __init__(self, *features: Any) -> None:
        self.features = features
        self.reachabilityChanged = self.isMeteredChanged = SimpleNamespace(connect=lambda _slot: None)

    def supports(self, feature: Any) -> bool:
        return feature in self.features

    def isMetered(self) -> bool:  # noqa: N802 - Qt's name
        return True


@pytest.mark.parametrize(
    ("info", "missing"),
    [
        (None, ["network", "metering"]),
        (FakeNetworkInfo(sensors.QNetworkInformation.Feature.Reachability), ["metering"]),
        (
            FakeNetworkInfo(
                sensors.QNetworkInformation.Feature.Reachability, sensors.QNetworkInformation.Feature.Metered
            ),
            [],
        ),
    ],
)
def test_what_qt_cannot_tell_here_is_named_missing(
    monkeypatch: pytest.MonkeyPatch, info: Any, missing: list[str]
) -> None:
    monkeypatch.setattr(sensors, "network_information", lambda: info)
    monkeypatch.setattr(sensors, "qconnect", lambda _signal, _slot: None)
    _, emit = recorder()
    s = sensors.Sensors(emit, lambda: True, lambda: None, lambda _acts: None)
    s.watch_network()
    assert s.missing() == missing
    assert s.metered is ("metering" not in missing)


def test_a_wall_clock_gap_far_longer_than_the_heartbeat_is_a_wake(monkeypatch: pytest.MonkeyPatch) -> None:
    events, emit = recorder()
    wall = [1000.0]
    monkeypatch.setattr(sensors.time, "time", lambda: wall[0])
    s = sensors.Sensors(emit, lambda: True, lambda: None, lambda _acts: None)
    s._last_beat = wall[0]
    wall[0] += 5
    s.beat()
    wall[0] += 29
    s.beat()
    wall[0] += 45
    s.beat()
    assert events == [("clockJumped", {"gapMs": 45_000})]
