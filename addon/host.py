"""Carries out the orchestrator's sync commands with Anki's own sync machinery.

Everything that touches the network runs off the main thread; results come back as
events. No dialogs here except Anki's own upload/download choice when the page asks.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from anki.sync import SyncOutput, SyncStatus
from anki.sync_pb2 import SyncAuth
from aqt import gui_hooks, mw
from aqt.qt import QTimer
from aqt.utils import showText

from . import words
from .full_sync import FullSync
from .give_way import GiveWay
from .guard import guarded, run_guarded
from .outcomes import anki_words, classify
from .progress import last_sync, watch_progress
from .protocol import ERROR_TEXT_CHARS, SERVER_MESSAGE_CHARS, ProtocolError, cut
from .redirects import allowed_redirect, follow_redirect

log = logging.getLogger("flipnem_sync")
# a running media sync is checked soon, then less often: one with nothing to do ends within
# milliseconds, and a close waits for it
MEDIA_FIRST_CHECK_SECONDS = 0.01
MEDIA_CHECK_SECONDS = 0.25
Emit = Callable[[str, dict[str, Any]], None]


class SyncHost:
    def __init__(self, emit: Emit, on_progress: Callable[[], None]) -> None:
        self._emit = emit
        self._on_progress = on_progress
        self.collection_running = False
        self.media_running = False
        self.full_sync = FullSync(emit, self._fire_did_finish)
        self.refreshing = False
        # the page's word for the running sync: stop it at the user's first input (after the grace)
        self.give_way = GiveWay(self._abort_collection)
        self.io_timeout: int | None = None
        self._show_server_message = False
        self._full_sync_output: SyncOutput | None = None
        self._progress_timer: QTimer | None = None
        # a close has gone on: Anki unloads the collection next, so no new sync may take it
        self.closed = False

    @property
    def full_sync_running(self) -> bool:
        return self.full_sync.running

    def busy(self) -> bool:
        # Anki's own media syncer runs after a full sync; it counts too
        return (
            self.collection_running
            or self.media_running
            or self.full_sync.running
            or bool(mw and mw.media_syncer.is_syncing())
        )

    def _may_start(self) -> None:
        if self.closed:
            raise ProtocolError("closing", "Anki is closing; what this sync would carry goes at the next open")
        if self.busy():
            raise ProtocolError("busy", "a sync is already running")

    def _auth(self, timeout_secs: int | None = None) -> SyncAuth:
        current = mw.pm.profile.get("currentSyncUrl") if mw.pm.profile else None
        # a redirect stored by Anki's own status check is held to the same rule before any request
        if current and allowed_redirect(current, "a stored server redirect") is None:
            mw.pm.set_current_sync_url(None)
        auth = mw.pm.sync_auth()
        if auth is None:
            raise ProtocolError("signedOut", "not signed in to Flipnem")
        for limit in (self.io_timeout, timeout_secs):
            if limit:
                auth.io_timeout_secs = min(auth.io_timeout_secs or 60, limit)
        return auth

    # collection

    def sync_collection(
        self,
        trigger: str,
        media: bool,
        show_progress: bool,
        show_server_message: bool,
        abort_on_input: bool = False,
        timeout_secs: int | None = None,
        probe: bool = False,
        input_grace_ms: int | None = None,
    ) -> dict[str, Any]:
        """As the page says: with media or not, in Anki's progress window or not, stopped at the user's input or not.

        A probe is a normal sync that may find nothing to exchange (one request, then Anki's
        backend returns): what surrounds a sync (Anki's sync hooks, its refresh, media) runs only
        when it exchanged something.
        """
        self._may_start()
        auth = self._auth(timeout_secs)
        if not probe:
            run_guarded(gui_hooks.sync_will_start)
        self.collection_running = True
        self.give_way.mark(abort_on_input, input_grace_ms)
        self._show_server_message = show_server_message
        self._emit("collectionSyncStarted", {"trigger": trigger})
        self._progress_timer = watch_progress(self._emit, self._on_progress)

        def op() -> tuple[SyncOutput, str, bool]:
            before = last_sync(mw.col)
            # a probe's media goes only after something came or went: asked for below
            out = mw.col.sync_collection(auth, media and not probe)
            # read at once: the media sync the backend starts next soon replaces this sync's tally
            progress = mw.col.latest_progress()
            counts = ""
            if progress.HasField("normal_sync"):
                counts = anki_words(progress.normal_sync.added, progress.normal_sync.removed)
            # Anki's backend records the sync's time only when it exchanged something
            exchanged = not probe or last_sync(mw.col) != before or out.required != out.NO_CHANGES
            if probe and exchanged and media and out.required == out.NO_CHANGES:
                mw.col.sync_media(auth)
            return out, counts, exchanged

        def done(fut: Future) -> None:
            self._finish_collection(fut, media, probe)

        # the profile window has no room for Anki's progress window
        if show_progress and mw.state != "profileManager":
            mw.taskman.with_progress(op, guarded(done), label=words.SYNCING, immediate=True)
        else:
            mw.taskman.run_in_background(op, guarded(done))
        return {"started": True}

    def _finish_collection(self, fut: Future, media: bool, probe: bool) -> None:
        if self._progress_timer:
            self._progress_timer.stop()
            self._progress_timer.deleteLater()
            self._progress_timer = None
        self.collection_running = False
        self.give_way.ended()
        outcome, message, server_message, media_started, counts = "ok", "", "", False, ""
        exchanged = True
        try:
            out, counts, exchanged = fut.result()
        except Exception as err:  # noqa: BLE001 - becomes an event, never a dialog
            outcome, message = classify(err)
        else:
            mw.pm.set_host_number(out.host_number)
            if out.new_endpoint:
                follow_redirect(out.new_endpoint)
            server_message = cut(out.server_message, SERVER_MESSAGE_CHARS)
            if out.required == out.NO_CHANGES:
                media_started = media and exchanged
            else:
                outcome = "fullSyncRequired"
                self._full_sync_output = out
        finished: dict[str, Any] = {
            "outcome": outcome,
            "message": message or None,
            "serverMessage": server_message or None,
            "counts": counts or None,
            "mediaStarted": media_started,
        }
        if probe and outcome == "ok":
            finished["exchanged"] = exchanged
        # the page hears of the finish before anything media reports, so it never sees media end first
        self._emit("collectionSyncFinished", finished)
        log.info("collection sync finished: %s", outcome)
        if server_message and self._show_server_message:
            # shown without holding anything up: the queue has already heard the result
            shown = showText(server_message, parent=mw, type="rich", run=False)
            if shown is not None:
                shown[0].show()
        if media_started:
            self._monitor_media()
        if probe and outcome == "ok" and not exchanged:
            return  # nothing came or went: Anki's study queues, Undo and other add-ons are untouched
        if mw.col:
            mw.col._load_scheduler()
            mw.col.models._clear_cache()
        self._fire_did_finish(in_step=outcome == "ok")

    def _fire_did_finish(self, in_step: bool = False) -> None:
        run_guarded(gui_hooks.sync_did_finish)
        if mw.col and mw.state not in ("profileManager", "startup"):
            # Anki's refresh after a sync reports "everything changed": not the user's change
            self.refreshing = True
            try:
                mw.reset()
            finally:
                self.refreshing = False
            if in_step:
                # known without asking Flipnem (a check now would cache its answer for 5 minutes)
                mw.toolbar.set_sync_status(SyncStatus(required=SyncStatus.NO_CHANGES))
            else:
                mw.toolbar.update_sync_status()

    def choose_full_sync(self, on_done: Callable[[], None]) -> None:
        """Anki's own upload/download choice; the add-on never chooses."""
        if self.closed:
            raise ProtocolError("closing", "Anki is closing; the choice is offered at the next sync")
        out, self._full_sync_output = self._full_sync_output, None
        self.full_sync.offer(out, on_done)

    # media

    def sync_media(self) -> dict[str, Any]:
        self._may_start()
        auth = self._auth()
        self.media_running = True
        self._emit("mediaSyncStarted", {})

        def start() -> None:
            mw.col.sync_media(auth)

        def started(fut: Future) -> None:
            if fut.exception() is not None:
                self._media_done(fut.exception())
                return
            self._monitor_media(already_flagged=True)

        mw.taskman.run_in_background(start, guarded(started), uses_collection=False)
        return {"started": True}

    def _monitor_media(self, already_flagged: bool = False) -> None:
        if not already_flagged:
            self.media_running = True
            self._emit("mediaSyncStarted", {})
        run_guarded(gui_hooks.media_sync_did_start_or_stop, True)

        def monitor() -> str:
            last = ""
            wait = MEDIA_FIRST_CHECK_SECONDS
            while True:
                status = mw.col.media_sync_status()
                p = status.progress
                text = anki_words(p.checked, p.added, p.removed) if status.HasField("progress") else ""
                if not status.active:
                    # the finished sync's own tally stays in the status
                    return text
                if text and text != last:
                    last = text
                    mw.taskman.run_on_main(guarded(functools.partial(self._media_progress, text)))
                time.sleep(wait)
                wait = min(wait * 2, MEDIA_CHECK_SECONDS)

        def finished(fut: Future) -> None:
            err = fut.exception()
            self._media_done(err, "" if err is not None else fut.result())

        mw.taskman.run_in_background(monitor, guarded(finished), uses_collection=False)

    def _media_progress(self, text: str) -> None:
        self._on_progress()
        self._emit("mediaSyncProgress", {"text": cut(text, ERROR_TEXT_CHARS)})

    def _media_done(self, err: BaseException | None, counts: str = "") -> None:
        self.media_running = False
        outcome, message = ("ok", "") if err is None else classify(err)
        run_guarded(gui_hooks.media_sync_did_start_or_stop, False)
        self._emit("mediaSyncFinished", {"outcome": outcome, "message": message or None, "counts": counts or None})
        log.info("media sync finished: %s", outcome)

    def _abort_collection(self) -> None:
        if mw.col:
            mw.col.abort_sync()

    def abort(self) -> None:
        """Stop whatever runs; used when a close has waited long enough."""
        if not mw.col:
            return
        try:
            if self.collection_running:
                mw.col.abort_sync()
            if self.media_running:
                mw.col.set_wants_abort()
                mw.col.abort_media_sync()
        except Exception:  # noqa: BLE001
            log.exception("abort failed")
