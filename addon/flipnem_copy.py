"""Flipnem's copy before an upload. Choosing Upload in Anki's full-sync question replaces
Flipnem's collection, and with it the reviews made on other devices. Anki backs up only this
profile's collection (before a download), so the add-on first saves Flipnem's current
collection into a dated file beside Anki's backups; if it cannot, the upload waits for a second
yes. Cancel and Download are Anki's own, unchanged.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from anki.collection import Collection
from anki.sync_pb2 import SyncAuth
from aqt import mw
from aqt.utils import ask_user_dialog, tooltip

from .guard import guarded

log = logging.getLogger("flipnem_sync")
COPY_PREFIX = "flipnem-before-upload"


def save_flipnem_copy(auth: SyncAuth, folder: Path) -> Path:
    """Off the main thread: Flipnem's collection, by a full download into a file of its own (no media)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{COPY_PREFIX}-{time.strftime('%Y-%m-%d-%H.%M.%S')}.anki2"
    col = Collection(str(path))
    col.close_for_full_sync()
    col.full_upload_or_download(auth=auth, server_usn=None, upload=False)
    # opened once more so the file is left whole, then let go
    col.reopen(after_full_sync=True)
    col.close()
    return path


def second_yes_text(reason: str) -> str:
    return (
        "Flipnem Sync could not save a copy of Flipnem's collection before the upload "
        f"({reason}).\n\nUpload anyway? This replaces everything on Flipnem, including reviews "
        "made on other devices since they last synced."
    )


def upload_after_copy(
    native: Callable[..., Any], main: Any, server_usn: int | None, on_done: Callable[[], None]
) -> None:
    """Anki's full upload, once Flipnem's copy is saved or the user says yes a second time."""
    assert mw is not None
    auth = mw.pm.sync_auth()
    folder = Path(mw.pm.backupFolder())

    def copied(fut: Future) -> None:
        try:
            path = fut.result()
        except Exception as err:  # noqa: BLE001 - the user decides, with the reason in front of them
            log.warning("could not save Flipnem's collection before the upload: %s", err)

            def answered(choice: int, *_checked: Any) -> None:  # Qt adds the button's checked state
                if choice == 0:
                    native(main, server_usn, on_done)
                else:
                    on_done()  # nothing changed on either side

            # Anki's own question, as its full-sync choice asks: it waits without a nested event loop
            ask_user_dialog(
                second_yes_text(str(err) or type(err).__name__), guarded(answered), default_button=1, parent=mw
            )
            return
        log.info("Flipnem's collection saved before the upload: %s", path)
        tooltip(f"Flipnem's collection was saved to {path} before the upload.", period=8000, parent=mw)
        native(main, server_usn, on_done)

    if auth is None:
        copied_failed: Future = Future()
        copied_failed.set_exception(RuntimeError("not signed in"))
        return copied(copied_failed)
    mw.taskman.with_progress(
        lambda: save_flipnem_copy(auth, folder),
        guarded(copied),
        label="Saving Flipnem's collection before the upload…",
        uses_collection=False,
    )
