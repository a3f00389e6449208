"""The bounded close. The page decides when Anki may close (continueClose); this watchdog
stays in Python because it must hold even when the page is hung or gone: a close waits at
most `closeBoundSeconds` from the last progress, and `closeTotalSeconds` in all (a server
that trickles keeps making progress), then goes on by itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from aqt import mw
from aqt.qt import QTimer, qconnect

from .guard import guarded
from .host import SyncHost
from .views import CloseSkipDialog

log = logging.getLogger("flipnem_sync")
# a close that takes longer than this offers a Skip button
SKIP_OFFER_AFTER_SECONDS = 1.5
# the longest a close waits for an aborted sync to let go of the collection
DRAIN_SECONDS = 2.0
# how long a close waits for the add-on's own state file to be written
STORE_WRITE_BOUND_SECONDS = 1.0
# how long Skip waits for the page to let the close go on before it does so itself (a hung page)
SKIP_ANSWER_SECONDS = 1.0


class BoundedClose:
    def __init__(
        self,
        host: SyncHost,
        bound_seconds: int,
        total_seconds: int,
        emit: Callable[[str, dict[str, Any]], None],
        record: Callable[[dict[str, Any]], None],
        write_store: Callable[[Callable[[], None]], None],
    ) -> None:
        assert mw is not None
        self._host = host
        self.bound_seconds = bound_seconds
        self.total_seconds = total_seconds
        self._emit = emit
        self._record = record
        self._write_store = write_store
        self.after: Callable[[bool], None] | None = None
        self.requested_at = 0.0
        self.last_progress_at = 0.0
        self._skip: CloseSkipDialog | None = None
        self._watchdog = QTimer(mw)
        qconnect(self._watchdog.timeout, guarded(self._check_bound))

    @property
    def waiting(self) -> bool:
        return self.after is not None

    def begin(self, after_sync: Callable[[bool], None]) -> None:
        self.after = after_sync
        self.requested_at = self.last_progress_at = time.monotonic()
        self._host.io_timeout = self.bound_seconds
        log.info("close requested; bound %ss, %ss in all", self.bound_seconds, self.total_seconds)
        # the bound is Python's own: the page only hears that the close began
        self._emit("profileClosing", {})
        self._watchdog.start(250)

    def abandon(self) -> None:
        """Anki's own close takes over (ours could not begin)."""
        self.after = None
        self._watchdog.stop()

    def note_progress(self) -> None:
        self.last_progress_at = time.monotonic()

    def _check_bound(self) -> None:
        if self.after is None:
            self._watchdog.stop()
            return
        now = time.monotonic()
        if now - self.requested_at > float(self.total_seconds):
            self.continue_close("cap")
        elif now - self.last_progress_at > float(self.bound_seconds):
            self.continue_close("bound")
        elif now - self.requested_at > SKIP_OFFER_AFTER_SECONDS and self._skip is None:
            # Anki disables its window while closing, so the way to skip is a window of its own;
            # Skip is the page's to decide, like every other way a close goes on
            self._skip = CloseSkipDialog(guarded(self._on_skip))

    def _on_skip(self) -> None:
        self._emit("closeSkipped", {})
        # a page that is hung, gone or loading cannot answer: Skip still closes, within a second
        QTimer.singleShot(int(SKIP_ANSWER_SECONDS * 1000), guarded(lambda: self.continue_close("skipped")))

    def continue_close(self, reason: str) -> dict[str, Any]:
        after, self.after = self.after, None
        self._watchdog.stop()
        if self._skip is not None:
            self._skip.finish()
            self._skip = None
        if after is None:
            return {"continued": False}
        self._host.closed = True
        if self._host.busy():
            # Anki must not close the collection under a sync that is still stopping
            self._host.abort()
        self._drain_then(after, reason, time.monotonic() + DRAIN_SECONDS)
        return {"continued": True}

    def _drain_then(self, after: Callable[[bool], None], reason: str, deadline: float) -> None:
        if self._host.busy() and time.monotonic() < deadline:
            QTimer.singleShot(100, guarded(lambda: self._drain_then(after, reason, deadline)))
            return
        waited = time.monotonic() - self.requested_at
        self._host.io_timeout = None
        self._record({"reason": reason, "waitedSeconds": round(waited, 3), "at": time.time()})
        log.info("close continues after %.2fs (%s)", waited, reason)
        continued = False

        def go_on() -> None:
            nonlocal continued
            if not continued:
                continued = True
                after(True)

        # the close goes on once the state is on disk, or after a short bound if the disk is stuck
        QTimer.singleShot(int(STORE_WRITE_BOUND_SECONDS * 1000), guarded(go_on))
        try:
            self._write_store(go_on)
        except Exception:  # noqa: BLE001 - nothing the add-on writes may hold a close
            log.exception("could not save the add-on's state at close")
            go_on()
