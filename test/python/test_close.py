"""The bounded close: the page says when a close goes on, and the watchdog holds when it cannot."""

from __future__ import annotations

from typing import Any

import pytest

from addon import close

from .fakes import FakeTimer, recorder, skip_windows

pytestmark = pytest.mark.usefixtures("fake_qt")


class Host:
    def __init__(self, busy: bool = False) -> None:
        self._busy = busy
        self.aborted = 0
        self.io_timeout: int | None = None
        self.closed = False

    def busy(self) -> bool:
        return self._busy

    def abort(self) -> None:
        self.aborted += 1
        self._busy = False


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
    host = c._host
    assert not host.closed
    assert c.continue_close("synced") == {"continued": True}
    assert done == [True]
    # Anki unloads the collection next: nothing may start a sync on it now
    assert host.closed
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
