"""A status check: does Flipnem, or this device, have changes? Off the main thread, answered as an event."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from anki.sync_pb2 import SyncAuth
from aqt import mw

from .guard import guarded, run_guarded
from .outcomes import REQUIRED_WORDS, classify
from .redirects import follow_redirect

log = logging.getLogger("flipnem_sync")


class StatusCheck:
    def __init__(self, emit: Callable[[str, dict[str, Any]], None]) -> None:
        self._emit = emit
        self.running = False

    def start(self, auth: SyncAuth) -> None:
        """Anki's sync_status (answered from its cache of the server's answer, or from local state), and whether this device has changes."""
        self.running = True

        def op() -> tuple[Any, bool]:
            # rslib's own test: the collection changed since the last sync
            assert mw.col.db is not None
            local = bool(mw.col.db.scalar("select mod > ls from col"))
            return mw.col.sync_status(auth), local

        def done(fut: Future) -> None:
            self.running = False
            data: dict[str, Any] = {"outcome": "ok", "localChanges": False}
            try:
                out, local = fut.result()
            except Exception as err:  # noqa: BLE001 - becomes an event, never a dialog
                outcome, message = classify(err)
                data.update(outcome=outcome, message=message or None)
            else:
                data.update(required=REQUIRED_WORDS.get(out.required, "normal"), localChanges=local)
                if out.new_endpoint:
                    # as Anki follows it; the answer reaches the page whatever happens here
                    run_guarded(follow_redirect, out.new_endpoint)
            log.info("status check: %s", data.get("required") or data["outcome"])
            self._emit("statusChecked", data)

        mw.taskman.run_in_background(op, guarded(done), uses_collection=False)
