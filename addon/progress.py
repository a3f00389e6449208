"""How far a running collection sync has got, read from Anki's backend while it runs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aqt import mw
from aqt.qt import QTimer, qconnect

from .guard import run_guarded

POLL_MS = 250


def watch_progress(emit: Callable[[str, dict[str, Any]], None], on_progress: Callable[[], None]) -> QTimer:
    """Reports each new stage of the running sync; the caller stops the timer when the sync ends."""
    timer = QTimer(mw)
    last = [""]

    def poll() -> None:
        if not mw.col:
            return  # a close went on without waiting for an aborted sync
        progress = mw.col.latest_progress()
        if progress.HasField("normal_sync"):
            stage = progress.normal_sync.stage
            text = f"{stage} {progress.normal_sync.added} {progress.normal_sync.removed}"
            if text != last[0]:
                last[0] = text
                on_progress()
                emit("collectionSyncProgress", {"stage": stage})

    qconnect(timer.timeout, lambda: run_guarded(poll))
    timer.start(POLL_MS)
    return timer


def last_sync(col: Any) -> int:
    """When the collection last exchanged changes with Flipnem (Anki's own record): unchanged by a sync with nothing to exchange."""
    return int(col.db.scalar("select ls from col") or 0)
