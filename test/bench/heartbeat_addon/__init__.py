"""Bench only: how long Anki's main thread goes without running a 10 ms timer, and when each
step of a close happens. Installed alike in native and add-on runs; writes JSON lines to
FLIPNEM_BENCH_LOG and never touches a collection."""

from __future__ import annotations

import atexit
import json
import os
import time
from collections.abc import Callable
from typing import Any

from aqt import gui_hooks, mw
from aqt.qt import Qt, QTimer, qconnect

PATH = os.environ.get("FLIPNEM_BENCH_LOG")
TICK_MS = 10
# gaps shorter than this are the timer's own jitter
REPORT_MS = 25

_lines: list[str] = []
_last = time.monotonic()


def _now_ms() -> float:
    return time.time() * 1000


def _record(kind: str, **data: Any) -> None:
    _lines.append(json.dumps({"t": round(_now_ms(), 1), "kind": kind, **data}))


def _flush() -> None:
    if not PATH or not _lines:
        return
    with open(PATH, "a", encoding="utf-8") as f:
        f.write("\n".join(_lines) + "\n")
    _lines.clear()


def _tick() -> None:
    global _last
    now = time.monotonic()
    gap = (now - _last) * 1000
    _last = now
    if gap >= REPORT_MS:
        _record("gap", ms=round(gap, 1))
    if len(_lines) > 50:
        _flush()


def _step(name: str) -> Callable[[], None]:
    def mark(*_: Any) -> None:
        _record("step", step=name)
        _flush()

    return mark


def _wrap(obj: Any, attr: str, before: str, after: str | None = None) -> None:
    original = getattr(obj, attr)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _step(before)()
        try:
            return original(*args, **kwargs)
        finally:
            if after:
                _step(after)()

    setattr(obj, attr, wrapped)


if PATH and mw is not None:
    _timer = QTimer(mw)
    _timer.setTimerType(Qt.TimerType.PreciseTimer)
    qconnect(_timer.timeout, _tick)
    _timer.start(TICK_MS)
    _flusher = QTimer(mw)
    qconnect(_flusher.timeout, _flush)
    _flusher.start(1000)
    gui_hooks.profile_did_open.append(_step("profileOpened"))
    gui_hooks.profile_will_close.append(_step("profileWillClose"))
    _wrap(mw, "unloadProfileAndExit", "closeAsked")
    _wrap(mw, "_unloadCollection", "collectionClosing", "collectionClosed")
    _wrap(mw, "cleanupAndExit", "cleanupStarts", "cleanupDone")
    qconnect(mw.app.aboutToQuit, _step("aboutToQuit"))
    atexit.register(_step("pythonExit"))
