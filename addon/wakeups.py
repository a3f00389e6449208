"""The page's clock: Qt timers, because a hidden page's own timers are throttled."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aqt import mw
from aqt.qt import QTimer, qconnect

from .guard import guarded
from .knobs import env_number

Emit = Callable[[str, dict[str, Any]], None]
# the timer seam's range: tests run the schedule up to 1,000 times faster, or twice as slow;
# outside it a stray value would fire every wakeup at once or none for days
TIMER_SCALE_RANGE = (0.001, 2.0)


def timer_scale(raw: str | None) -> float:
    """FLIPNEM_TIMER_SCALE (a test seam) as a factor in TIMER_SCALE_RANGE; anything else is 1."""
    scale = env_number("FLIPNEM_TIMER_SCALE", raw, *TIMER_SCALE_RANGE)
    return 1.0 if scale is None else scale


class Wakeups:
    def __init__(self, emit: Emit, scale: float = 1.0, before: Callable[[], None] | None = None) -> None:
        self._emit = emit
        # run before a wakeup is told: after a sleep, the page hears of the wake first, so the
        # overdue timer's sync is judged as a catch-up (its failure in the first minute unshown)
        self._before = before
        # test seam: scales only the timers that drive the schedule
        self._scale = scale
        self.timers: dict[str, QTimer] = {}

    def set(self, name: str, delay_ms: int) -> dict[str, Any]:
        self.cancel(name)
        timer = QTimer(mw)
        timer.setSingleShot(True)
        qconnect(timer.timeout, guarded(lambda: self._fire(name, timer)))
        timer.start(max(0, int(delay_ms * self._scale)))
        self.timers[name] = timer
        return {"armed": True}

    def _fire(self, name: str, timer: QTimer) -> None:
        # a timer replaced or cancelled since is stale
        if self.timers.get(name) is timer:
            del self.timers[name]
            timer.deleteLater()
            if self._before is not None:
                self._before()
            self._emit("wakeup", {"timer": name})

    def cancel(self, name: str) -> dict[str, Any]:
        timer = self.timers.pop(name, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        return {"cancelled": timer is not None}

    def cancel_all(self) -> None:
        for name in list(self.timers):
            self.cancel(name)
