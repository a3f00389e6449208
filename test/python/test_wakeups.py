"""The page's clock: one Qt timer per wakeup the page asks for."""

from __future__ import annotations

import pytest

from addon import wakeups

from .fakes import FakeTimer, recorder

pytestmark = pytest.mark.usefixtures("fake_qt")


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


def test_a_wakeup_overdue_after_a_sleep_is_told_after_the_wake() -> None:
    events, emit = recorder()
    w = wakeups.Wakeups(emit, before=lambda: emit("clockJumped", {"gapMs": 10_000}))
    w.set("periodicMedia", 900_000)
    FakeTimer.made[-1].fire()
    assert events == [("clockJumped", {"gapMs": 10_000}), ("wakeup", {"timer": "periodicMedia"})]
