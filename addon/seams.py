"""Anki's own sync paths, taken over while a profile is the add-on's: the open/close auto
sync, the Sync button and Y key, the periodic media timer, and the full upload (which first
saves Flipnem's copy). For any other profile, or
if handing over fails, Anki's own path runs. Anki calls these synchronously, so whether
the profile is the add-on's is answered here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import aqt.sync
from aqt import gui_hooks, mw

from . import flipnem_copy
from .guard import guarded

log = logging.getLogger("flipnem_sync")


class NativeSeams:
    def __init__(
        self,
        managed: Callable[[], bool],
        closing: Callable[[], bool],
        begin_close: Callable[[Callable[[bool], None]], None],
        abandon_close: Callable[[], None],
        tell_page: Callable[[str, dict[str, Any]], None],
    ) -> None:
        self._managed = managed
        self._closing = closing
        self._begin_close = begin_close
        self._abandon_close = abandon_close
        self._tell_page = tell_page
        self.button_waiters: list[Callable[[], None]] = []
        # this profile's close has asked for its sync; a later call before the next open is the open's own
        self._close_began = False

    def ours(self) -> bool:
        try:
            return self._managed()
        except Exception:  # noqa: BLE001 - when in doubt, Anki behaves as without the add-on
            log.exception("managed check failed")
            return False

    def install(self) -> None:
        assert mw is not None
        native_open_close = mw.maybe_auto_sync_on_open_close
        native_sync = mw._sync_collection_and_media
        native_media_start = mw.media_syncer.start

        def maybe_auto_sync_on_open_close(after_sync: Callable[[bool], None]) -> None:
            if not self.ours():
                return native_open_close(after_sync)
            if not self._closing():
                # Anki goes on opening; the page runs the open sync
                self._close_began = False
                return after_sync(False)
            if self._close_began:
                # Anki asks for its open sync after a close that came in while the open was held
                # (a signal, or the window manager's close): the close waits for the page, the open goes on
                log.info("Anki's open sync asked for during a close: none runs")
                return after_sync(False)
            self._close_began = True
            try:
                self._begin_close(after_sync)
            except Exception:  # noqa: BLE001 - a close must always go on: Anki's own way, then
                log.exception("could not begin the close; Anki's own close sync goes on")
                self._abandon_close()
                native_open_close(after_sync)

        def sync_collection_and_media(after_sync: Callable[[], None]) -> None:
            if not self.ours():
                return native_sync(after_sync)
            try:
                self.button_waiters.append(after_sync)
                log.info("Anki's Sync: handed to the add-on")
                self._tell_page("syncRequested", {"trigger": "button"})
            except Exception:  # noqa: BLE001 - the press is never lost: Anki's own sync runs it
                log.exception("could not hand the Sync press over; Anki's own sync runs it")
                if after_sync in self.button_waiters:
                    self.button_waiters.remove(after_sync)
                native_sync(after_sync)

        def media_syncer_start(is_periodic_sync: bool = False) -> None:
            if is_periodic_sync and self.ours():
                return  # the add-on's own timer runs periodic media
            return native_media_start(is_periodic_sync)

        native_full_upload = aqt.sync.full_upload

        def full_upload(main: Any, server_usn: int | None, on_done: Callable[[], None]) -> None:
            if not self.ours():
                return native_full_upload(main, server_usn, on_done)
            flipnem_copy.upload_after_copy(native_full_upload, main, server_usn, on_done)

        # Anki's full-sync question calls it by its module name, so this is the one it calls
        aqt.sync.full_upload = full_upload  # type: ignore[assignment]
        mw.maybe_auto_sync_on_open_close = maybe_auto_sync_on_open_close  # type: ignore[method-assign]
        mw._sync_collection_and_media = sync_collection_and_media  # type: ignore[method-assign]
        mw.media_syncer.start = media_syncer_start  # type: ignore[method-assign]
        gui_hooks.sync_did_finish.append(guarded(self.release_button_waiters))

    def release_button_waiters(self) -> None:
        waiters, self.button_waiters = self.button_waiters, []
        for after_sync in waiters:
            try:
                after_sync()
            except Exception:  # noqa: BLE001
                log.exception("after-sync callback failed")
