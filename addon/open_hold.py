"""Holding Anki's window while the page decides the open sync: not a decision, a wait.

Anki's own open sync starts in the same moment the profile opens, so a Study Now pressed at once
waits for it and shows fresh cards. The add-on's page answers a moment later (its events cross to
another process), so until it has decided, Anki's window takes no input: the keys and clicks wait
in Qt's queue (never lost) and reach Anki once the page's answer is carried out (a sync it decided
is then holding the collection, as Anki's own does). Bounded: a page that does not answer in time
never keeps Anki from the user longer.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from aqt.qt import QEventLoop, QTimer, qconnect

from .guard import run_guarded

log = logging.getLogger("flipnem_sync")
# the longest the window waits for a page that is still starting, or has hung
HOLD_SECONDS = 5.0
CHECK_MS = 5


def hold_until(answered: Callable[[], bool], seconds: float = HOLD_SECONDS) -> float:
    """Runs Qt's events but the user's until `answered()` (or the bound); returns how long it held (s)."""
    began = time.monotonic()
    if run_guarded(answered):
        return 0.0
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(CHECK_MS)

    def check() -> None:
        if run_guarded(answered) or time.monotonic() - began >= seconds:
            timer.stop()
            loop.quit()

    qconnect(timer.timeout, check)
    timer.start()
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    held = time.monotonic() - began
    if held >= seconds:
        log.warning("the page did not decide the open sync within %.0f s; Anki goes on", seconds)
    return held
