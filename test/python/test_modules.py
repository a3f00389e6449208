"""The add-on's Python parts with a fake main window: each carries out, none decides."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

import pytest

from addon import account, close, host, seams, sensors, state_file, wakeups
from addon.state_file import ProfileStore, StoreWriter

from .fakes import FakeTimer, Signal, fake_mw


@pytest.fixture(autouse=True)
def fake_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeTimer.made.clear()
    FakeTimer.single_shots.clear()
    for module in (wakeups, close, sensors):
        monkeypatch.setattr(module, "QTimer", FakeTimer)
        monkeypatch.setattr(module, "mw", fake_mw())
    # no Qt widgets outside Anki: the Skip window is a stand-in
    skip_windows(monkeypatch)


def recorder() -> tuple[list[tuple[str, dict[str, Any]]], Any]:
    events: list[tuple[str, dict[str, Any]]] = []
    return events, lambda name, data: events.append((name, data))


def test_wakeups_fire_once_scaled_and_a_replaced_timer_is_stale() -> None:
    events, emit = recorder()
    w = wakeups.Wakeups(emit, scale=0.5)
    w.set("retry", 30_000)
    first = FakeTimer.made[-1]
    assert first.interval == 15_000
    w.set("retry", 60_000)  # replaces the first
    first.fire()
    assert events == []
    FakeTimer.made[-1].fire()
    assert events == [("wakeup", {"timer": "retry"})]
    w.set("periodicMedia", 1)
    assert w.cancel("periodicMedia") == {"cancelled": True}
    assert w.cancel("periodicMedia") == {"cancelled": False}
    w.set("background", 1)
    w.cancel_all()
    assert w.timers == {}


class Changes:
    def __init__(self, **flags: bool) -> None:
        self._flags = flags

    def ListFields(self) -> list[tuple[Any, bool]]:
        return [(SimpleNamespace(name=k), v) for k, v in self._flags.items()]


def test_sensors_report_facts_only_for_a_profile_that_is_ours() -> None:
    events, emit = recorder()
    reporting = [True]
    prefs_closed: list[bool] = []
    s = sensors.Sensors(emit, lambda: reporting[0], lambda: prefs_closed.append(True), lambda: None)
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
    s = sensors.Sensors(emit, lambda: True, lambda: None, lambda: inputs.append(True), scale=0.5)
    s.check_activity()
    s.watch_input(60_000)  # quiet after 30 s at this scale
    mw.state = "overview"
    s.check_activity()
    s.check_activity()
    clock[0] += 31
    s.check_activity()
    s.on_input()
    s.check_activity()
    # told on change only: a fresh page takes up what it was told from the journal
    assert events == [
        ("activityChanged", {"place": "review", "quiet": False}),
        ("activityChanged", {"place": "overview", "quiet": False}),
        ("activityChanged", {"place": "overview", "quiet": True}),
        ("activityChanged", {"place": "overview", "quiet": False}),
    ]
    assert inputs == [True]


def test_the_input_watch_notes_input_and_never_swallows_an_event() -> None:
    seen: list[bool] = []
    watch = sensors.InputWatch.__new__(sensors.InputWatch)
    watch._on_input = lambda: seen.append(True)
    watch._active = True
    press: Any = SimpleNamespace(type=lambda: sensors.QEvent.Type.KeyPress)
    paint: Any = SimpleNamespace(type=lambda: sensors.QEvent.Type.Paint)
    assert watch.eventFilter(None, press) is False
    assert watch.eventFilter(None, paint) is False
    watch._on_input = lambda: [][0]
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
    s = sensors.Sensors(emit, lambda: True, lambda: None, lambda: None)
    s.watch_network()
    assert s.missing() == missing
    assert s.metered is ("metering" not in missing)


def test_a_wall_clock_gap_far_longer_than_the_heartbeat_is_a_wake(monkeypatch: pytest.MonkeyPatch) -> None:
    events, emit = recorder()
    wall = [1000.0]
    monkeypatch.setattr(sensors.time, "time", lambda: wall[0])
    s = sensors.Sensors(emit, lambda: True, lambda: None, lambda: None)
    s._last_beat = wall[0]
    wall[0] += 5
    s.beat()
    wall[0] += 29
    s.beat()
    wall[0] += 45
    s.beat()
    assert events == [("clockJumped", {"gapMs": 45_000})]


class Host:
    def __init__(self, busy: bool = False) -> None:
        self._busy = busy
        self.aborted = 0
        self.io_timeout: int | None = None

    def busy(self) -> bool:
        return self._busy

    def abort(self) -> None:
        self.aborted += 1
        self._busy = False


def skip_windows(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Stands in for the Skip window a slow close shows; each item is the Skip press it would make."""
    skips: list[Any] = []

    def window(on_skip: Any) -> Any:
        skips.append(on_skip)
        return SimpleNamespace(finish=lambda: None)

    monkeypatch.setattr(close, "CloseSkipDialog", window)
    return skips


def bounded(host: Host) -> tuple[close.BoundedClose, list[Any], list[Any]]:
    events, emit = recorder()
    records: list[Any] = []
    c = close.BoundedClose(host, 20, 120, emit, records.append, lambda then: then())  # type: ignore[arg-type]
    return c, events, records


def test_a_close_goes_on_when_the_page_says_so_once_written() -> None:
    c, events, records = bounded(Host())
    done: list[bool] = []
    c.begin(done.append)
    assert events == [("profileClosing", {})]
    assert c.waiting
    assert c.continue_close("synced") == {"continued": True}
    assert done == [True]
    assert records[0]["reason"] == "synced"
    assert c.continue_close("synced") == {"continued": False}


def test_the_watchdog_lets_a_close_go_on_after_the_bound_even_without_a_page(monkeypatch: pytest.MonkeyPatch) -> None:
    host = Host(busy=True)
    c, events, records = bounded(host)
    done: list[bool] = []
    clock = [100.0]
    monkeypatch.setattr(close.time, "monotonic", lambda: clock[0])
    c.begin(done.append)
    # told to the journal either way: a page that comes up later takes the close from there
    assert events == [("profileClosing", {})]
    watchdog = FakeTimer.made[0]
    clock[0] += 10
    watchdog.fire()
    assert done == []
    clock[0] += 11  # past the bound since the last progress
    watchdog.fire()
    assert host.aborted == 1
    assert done == [True] and records[0]["reason"] == "bound"


def test_a_close_that_keeps_making_progress_goes_on_at_the_total_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    skip_windows(monkeypatch)
    host = Host(busy=True)
    c, _, records = bounded(host)
    done: list[bool] = []
    clock = [100.0]
    monkeypatch.setattr(close.time, "monotonic", lambda: clock[0])
    c.begin(done.append)
    watchdog = FakeTimer.made[0]
    for _ in range(11):  # a file every 10 s: never past the bound, 110 s in all
        clock[0] += 10
        c.note_progress()
        watchdog.fire()
    assert done == []
    clock[0] += 11
    c.note_progress()
    watchdog.fire()
    assert host.aborted == 1
    assert done == [True] and records[0]["reason"] == "cap"
    assert records[0]["waitedSeconds"] == 121


def test_skip_in_the_slow_close_window_goes_to_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    skips = skip_windows(monkeypatch)
    c, events, _ = bounded(Host())
    clock = [0.0]
    monkeypatch.setattr(close.time, "monotonic", lambda: clock[0])
    c.begin(lambda _ok: None)
    clock[0] += close.SKIP_OFFER_AFTER_SECONDS + 0.1
    FakeTimer.made[0].fire()
    skips[0]()
    assert events[-1] == ("closeSkipped", {})


def test_seams_hand_ours_to_the_page_and_leave_others_to_anki(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    mw = fake_mw()
    mw.maybe_auto_sync_on_open_close = lambda after: calls.append("native open/close")
    mw._sync_collection_and_media = lambda after: calls.append("native sync")
    mw.media_syncer = SimpleNamespace(start=lambda periodic=False: calls.append(f"native media {periodic}"))
    monkeypatch.setattr(seams, "mw", mw)
    finished: list[Any] = []
    monkeypatch.setattr(seams.gui_hooks, "sync_did_finish", SimpleNamespace(append=finished.append))
    ours, closing = [True], [False]
    told, tell = recorder()
    begun: list[Any] = []
    s = seams.NativeSeams(lambda: ours[0], lambda: closing[0], begun.append, lambda: calls.append("abandon"), tell)
    s.install()

    opened: list[bool] = []
    mw.maybe_auto_sync_on_open_close(opened.append)
    assert opened == [False]
    closing[0] = True
    mw.maybe_auto_sync_on_open_close(opened.append)
    assert len(begun) == 1
    pressed: list[bool] = []
    mw._sync_collection_and_media(lambda: pressed.append(True))
    assert told == [("syncRequested", {"trigger": "button"})]
    finished[0]()
    assert pressed == [True]
    mw.media_syncer.start(True)
    assert calls == []

    ours[0] = False
    mw._sync_collection_and_media(lambda: None)
    mw.media_syncer.start(True)
    assert calls == ["native sync", "native media True"]


def test_seams_fall_back_to_anki_when_handing_over_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    mw = fake_mw()
    mw.maybe_auto_sync_on_open_close = lambda after: calls.append("native close")
    monkeypatch.setattr(seams, "mw", mw)
    monkeypatch.setattr(seams.gui_hooks, "sync_did_finish", SimpleNamespace(append=lambda fn: None))

    def broken(after: Any) -> None:
        raise RuntimeError("page gone")

    s = seams.NativeSeams(lambda: True, lambda: True, broken, lambda: calls.append("abandon"), lambda n, d: None)
    s.install()
    mw.maybe_auto_sync_on_open_close(lambda ok: None)
    assert calls == ["abandon", "native close"]
    s2 = seams.NativeSeams(lambda: 1 / 0 == 0, lambda: False, broken, lambda: None, lambda n, d: None)
    assert s2.ours() is False


def test_store_writer_never_lets_an_older_snapshot_win(tmp_path: Any) -> None:
    runs: list[tuple[Any, Any]] = []
    writer = StoreWriter(lambda fn, done: runs.append((fn, done)))
    store = ProfileStore(tmp_path)
    store.data = {"n": 1}
    writer.write(store)
    store.data = {"n": 2}
    written: list[bool] = []
    writer.write(store, lambda: written.append(True))
    runs[1][0]()
    runs[0][0]()  # the older write runs last: skipped
    runs[1][1](SimpleNamespace(exception=lambda: None))
    assert ProfileStore(tmp_path).data == {"n": 2}
    assert written == [True]
    nothing: list[bool] = []
    writer.write(None, lambda: nothing.append(True))
    assert nothing == [True]


def test_account_forgets_a_rejected_key_and_hands_first_connection_defaults_to_the_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    mw = fake_mw()
    monkeypatch.setattr(account, "mw", mw)
    store = ProfileStore(tmp_path)
    store.data = {"managed": True, "user": "u", "server": "http://x/"}
    saves: list[bool] = []
    a = account.Account(lambda n, d: None, lambda: store, lambda: saves.append(True), lambda: {"x": 1})
    # told with the sign-in whether or not a page is up: the journal keeps it for the next one
    assert a._signed_in_facts() == {"defaults": {"x": 1}}
    store.data["settingsApplied"] = True
    assert a._signed_in_facts() == {}
    assert a.forget_key() == {"forgotten": True}
    assert mw.pm.profile["syncKey"] is None
    assert store.data["managed"] is False and store.data["keyAccepted"] is False
    assert state_file.PROFILE_RECORD not in mw.pm.profile
    assert saves == [True]


def test_skip_still_closes_when_the_page_cannot_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    skips = skip_windows(monkeypatch)
    c, events, records = bounded(Host())
    clock = [0.0]
    monkeypatch.setattr(close.time, "monotonic", lambda: clock[0])
    done: list[bool] = []
    c.begin(done.append)
    clock[0] += close.SKIP_OFFER_AFTER_SECONDS + 0.1
    FakeTimer.made[0].fire()
    skips[0]()
    assert done == []  # the page is asked first
    delay, fallback = FakeTimer.single_shots[-1]
    assert delay == close.SKIP_ANSWER_SECONDS * 1000
    fallback()
    assert done == [True] and records[-1]["reason"] == "skipped"


def test_a_state_write_that_fails_never_holds_a_close() -> None:
    events, emit = recorder()

    def broken(then: Any) -> None:
        raise ValueError("Infinity is not JSON")

    c = close.BoundedClose(Host(), 20, 120, emit, lambda r: None, broken)  # type: ignore[arg-type]
    done: list[bool] = []
    c.begin(done.append)
    c.continue_close("synced")
    assert done == [True]


def test_the_top_bar_link_never_turns_the_pages_words_into_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    from addon import top_bar

    evals: list[str] = []
    mw = fake_mw(toolbar=SimpleNamespace(web=SimpleNamespace(eval=evals.append)))
    monkeypatch.setattr(top_bar, "mw", mw)
    clicks: list[bool] = []
    bar = top_bar.TopBar(lambda: clicks.append(True))
    toolbar = SimpleNamespace(
        link_handlers={},
        create_link=lambda cmd, label, func, tip=None, id=None: f'<a id="{id}" onclick="{cmd}">{label}</a>',
    )
    links: list[str] = []
    bar.add_link(links, toolbar)
    assert 'style="display:none"' in links[0]
    hostile = '<img src=x onerror="alert(1)">'
    assert bar.show(hostile, '" onmouseover="x', "ok") == {"shown": True}
    assert "textContent = d.text" in evals[0] and '\\"' in evals[0]
    links = []
    bar.add_link(links, toolbar)
    assert "<img" not in links[0] and "&lt;img" in links[0]
    assert 'title="&quot; onmouseover=&quot;x"' in links[0]
    assert bar.show("Flipnem", "", "not a tone")["shown"] and bar.tone == "off"


def test_the_users_first_input_stops_only_a_sync_marked_so_and_only_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from addon import host as host_module

    aborted: list[bool] = []
    col = SimpleNamespace(abort_sync=lambda: aborted.append(True))
    monkeypatch.setattr(host_module, "mw", fake_mw(col=col))
    h = host_module.SyncHost(lambda *_: None, lambda: None)
    h.on_user_input()
    h.collection_running = True
    h.on_user_input()  # the user's own sync: never stopped
    h.abort_on_input, h._aborted_for_input = True, False
    h.on_user_input()
    h.on_user_input()
    assert aborted == [True]


def test_a_media_sync_with_nothing_to_do_is_seen_ending_within_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = iter([True, True, True, True, True, True, True, False])

    def status() -> Any:
        return SimpleNamespace(active=next(checks), progress=None, HasField=lambda _: False)

    def run_in_background(fn: Any, on_done: Any, uses_collection: bool = True) -> None:
        fut: Future = Future()
        fut.set_result(fn())
        on_done(fut)

    slept: list[float] = []
    taskman = SimpleNamespace(run_in_background=run_in_background, run_on_main=lambda fn: fn())
    monkeypatch.setattr(host, "mw", fake_mw(col=SimpleNamespace(media_sync_status=status), taskman=taskman))
    monkeypatch.setattr(host.time, "sleep", slept.append)
    events, emit = recorder()
    host.SyncHost(emit, lambda: None)._monitor_media()
    assert [name for name, _ in events] == ["mediaSyncStarted", "mediaSyncFinished"]
    # a close waits for this: the first look comes after 10 ms, not a quarter second
    assert slept[0] <= 0.01
    assert sum(slept[:3]) < 0.1
    # then less often, never more than four times a second
    assert max(slept) == 0.25 and len(slept) == 7
