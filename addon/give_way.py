"""A running sync that the page marked so gives way to the user: stopped at their first input,
or when the profile starts closing, before either needs the collection.

In a return's grace (its first second) the user's input does not stop it; a key or a click
there stops it once the grace is over, from another thread, since a click that needs the
collection holds the main one until the sync lets go.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("flipnem_sync")


class GiveWay:
    def __init__(self, abort: Callable[[], None]) -> None:
        # `abort` stops the running collection sync (Anki's own abort)
        self._abort = abort
        self.marked = False
        self._grace_until = 0.0
        self._grace_input = False
        # counts the syncs marked, so a grace's timer stops only its own
        self._run = 0
        self._stopped = False

    def mark(self, gives_way: bool, grace_ms: int | None = None) -> None:
        """A collection sync starts: as the page said, it gives way to the user or it does not."""
        self.marked = gives_way
        self._grace_until = time.monotonic() + (grace_ms or 0) / 1000
        self._grace_input = False
        self._run += 1
        self._stopped = False

    def ended(self) -> None:
        self.marked = False

    def on_user_input(self, acts: bool = True) -> None:
        """The user is back: a marked sync stops now (or once a return's grace is over, if `acts`)."""
        if not self.marked or self._stopped:
            return  # nothing to stop: no grace timer either
        left = self._grace_until - time.monotonic()
        if left <= 0:
            return self._stop("the user is back")
        if acts and not self._grace_input:
            self._grace_input = True
            run = self._run
            timer = threading.Timer(left, lambda: self._stop_after_grace(run))
            timer.daemon = True
            timer.start()

    def for_close(self) -> None:
        """The page's word when the profile starts closing: a marked sync stops now, so the close sync runs at once."""
        self._stop("the profile is closing")

    def _stop_after_grace(self, run: int) -> None:
        try:
            if run == self._run:  # the same sync: a later one has a grace of its own
                self._stop("the user is back")
        except Exception:  # noqa: BLE001 - a thread's failure must not go unseen, nor raise
            log.exception("stopping a sync after its grace failed")

    def _stop(self, why: str) -> None:
        if not self.marked or self._stopped:
            return
        self._stopped = True
        log.info("stopping a background sync: %s", why)
        try:
            self._abort()
        except Exception:  # noqa: BLE001 - the sync then ends by its own timeout
            log.exception("abort failed")
