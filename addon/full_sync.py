"""Anki's own upload/download choice, when Flipnem needs one: offered when the page asks, and
how it ended told from what the server needs afterwards (Anki's choice says nothing of it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

import aqt.sync
from anki.sync import SyncOutput
from aqt import gui_hooks, mw
from aqt.qt import QTimer

from .guard import guarded, run_guarded
from .outcomes import REQUIRED_WORDS, classify, full_sync_outcome
from .protocol import ProtocolError

log = logging.getLogger("flipnem_sync")
Emit = Callable[[str, dict[str, Any]], None]


class FullSync:
    def __init__(self, emit: Emit, fire_did_finish: Callable[[], None]) -> None:
        self._emit = emit
        self._fire_did_finish = fire_did_finish
        self.running = False
        # the collection's last-sync stamp when Anki's choice was offered: a full sync moves it
        self._last_sync_at_choice: int | None = None

    def offer(self, out: SyncOutput | None, on_done: Callable[[], None]) -> None:
        """Anki's own upload/download choice for what the last collection sync answered; the add-on never chooses."""
        if out is None:
            raise ProtocolError("noFullSync", "no full sync is waiting")
        self.running = True
        assert mw.col.db is not None
        self._last_sync_at_choice = mw.col.db.scalar("select ls from col")
        kind = {out.FULL_UPLOAD: "upload", out.FULL_DOWNLOAD: "download"}.get(out.required, "either")
        log.info("full sync: offering Anki's choice (%s)", kind)
        # the settings panel explains the choice in plain words before Anki asks
        self._emit(
            "fullSyncChoice",
            {"required": kind, "localNotes": mw.col.note_count(), "localCards": mw.col.card_count()},
        )
        run_guarded(gui_hooks.sync_will_start)

        def finished() -> None:
            try:
                self._fire_did_finish()
                on_done()
            finally:
                # whatever failed above, the queue hears how the full sync ended
                self._report_full_sync()

        def ask() -> None:
            if not mw.col:
                return self._end_full_sync("failed", "the profile was closed")
            try:
                aqt.sync.full_sync(mw, out, guarded(finished))
            except Exception:
                self._end_full_sync("failed")
                raise

        QTimer.singleShot(300, guarded(ask))

    def _report_full_sync(self) -> None:
        """Anki's choice says nothing of what happened; the server does: is a full sync still needed?"""
        if mw.media_syncer.is_syncing():
            # Anki sends media after an upload or download; the queue stays held until it is done
            QTimer.singleShot(250, guarded(self._report_full_sync))
            return
        auth = mw.pm.sync_auth()
        if auth is None or not mw.col:
            return self._end_full_sync("failed", "signed out")

        def op() -> tuple[Any, int]:
            assert mw.col.db is not None
            return mw.col.sync_status(auth), mw.col.db.scalar("select ls from col")

        def done(fut: Future) -> None:
            try:
                status, last_sync = fut.result()
            except Exception as err:  # noqa: BLE001 - becomes words in the sidebar
                return self._end_full_sync("failed", classify(err)[1] or None)
            log.info("full sync: afterwards Flipnem says %s", REQUIRED_WORDS.get(status.required, "normal"))
            self._end_full_sync(full_sync_outcome(status, last_sync != self._last_sync_at_choice))

        mw.taskman.run_in_background(op, guarded(done), uses_collection=False)

    def _end_full_sync(self, outcome: str, message: str | None = None) -> None:
        self.running = False
        self._emit("fullSyncFinished", {"outcome": outcome, "message": message})
