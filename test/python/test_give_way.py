"""A running sync gives way to the user: at their first input (after a return's grace), or when the profile closes."""

from __future__ import annotations

from typing import Any

import pytest

from addon import give_way


def test_the_users_first_input_stops_only_a_sync_marked_so_and_only_once() -> None:
    aborted: list[bool] = []
    g = give_way.GiveWay(lambda: aborted.append(True))
    g.on_user_input()  # nothing runs
    g.mark(False)
    g.on_user_input()  # the user's own sync: never stopped
    g.mark(True)
    g.on_user_input()
    g.on_user_input()
    assert aborted == [True]
    g.ended()
    g.on_user_input()  # it has ended: nothing left to stop
    assert aborted == [True]


def test_a_closing_profile_stops_only_a_sync_that_gives_way() -> None:
    aborted: list[bool] = []
    g = give_way.GiveWay(lambda: aborted.append(True))
    g.mark(False)
    g.for_close()  # the user's own sync, or the open sync: the close waits for it
    assert aborted == []
    g.mark(True, 1000)
    g.for_close()  # a return's grace is for the user's own input, not for a close
    g.for_close()
    g.on_user_input()
    assert aborted == [True]


def test_an_abort_that_fails_is_logged_and_never_raises(caplog: pytest.LogCaptureFixture) -> None:
    def broken() -> None:
        raise RuntimeError("no collection")

    g = give_way.GiveWay(broken)
    g.mark(True)
    g.on_user_input()
    assert "abort failed" in caplog.text


def test_in_a_returns_grace_input_stops_its_pull_only_once_the_grace_is_over(monkeypatch: pytest.MonkeyPatch) -> None:
    aborted: list[bool] = []
    clock = [100.0]
    timers: list[tuple[float, Any]] = []

    class Timer:
        def __init__(self, delay: float, fn: Any) -> None:
            self.daemon = False
            timers.append((delay, fn))

        def start(self) -> None:
            pass

    monkeypatch.setattr(give_way.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(give_way.threading, "Timer", Timer)
    g = give_way.GiveWay(lambda: aborted.append(True))

    g.mark(True, 1000)
    g.on_user_input(acts=False)  # the pointer moved on: nothing stops
    assert aborted == [] and timers == []
    clock[0] += 0.4
    g.on_user_input(acts=True)  # a click in the grace
    g.on_user_input(acts=True)
    assert aborted == [] and [round(d, 3) for d, _ in timers] == [0.6]
    timers[0][1]()  # the grace is over: stopped from the timer's thread
    assert aborted == [True]
    # a later sync is not stopped by an earlier sync's timer
    g.mark(True, 1000)
    clock[0] += 0.1
    g.on_user_input(acts=True)
    stale = timers[-1][1]
    g.mark(True, 1000)
    stale()
    assert aborted == [True]
    # nor is a sync that ended before its grace did
    g.on_user_input(acts=True)
    g.ended()
    timers[-1][1]()
    assert aborted == [True]
    # after the grace, the first input stops it at once
    g.mark(True, 1000)
    clock[0] += 1.5
    g.on_user_input(acts=False)
    assert aborted == [True, True]
