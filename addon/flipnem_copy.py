"""Flipnem's copy before an upload. Choosing Upload in Anki's full-sync question replaces
Flipnem's collection, and with it the reviews made on other devices. Anki backs up only this
profile's collection (before a download), so the add-on first saves Flipnem's current
collection, gzipped, beside Anki's backups (the newest three are kept); if it cannot, or the user
stops it, the upload waits for a second yes. The copy is bounded in size, time and disk space.
Cancel and Download in Anki's question are Anki's own, unchanged.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

from anki.collection import Collection
from anki.sync_pb2 import SyncAuth
from aqt import mw
from aqt.qt import QDialog, QLabel, QPushButton, Qt, QTimer, QVBoxLayout, qconnect
from aqt.utils import ask_user_dialog, tooltip

from . import rich_text, words
from .copy_limits import (
    COPY_PREFIX,
    DISK_MARGIN,
    TEMP_PREFIX,
    Limits,
    compress,
    copy_name,
    free_bytes,
    limits_from_env,
    over_limit,
    prune,
    remove_temp,
)
from .guard import guarded
from .protocol import ERROR_TEXT_CHARS, cut

log = logging.getLogger("flipnem_sync")
__all__ = ["COPY_PREFIX", "save_flipnem_copy", "upload_after_copy"]
POLL_SECONDS = 0.1
# an aborted download ends at its next network read; a wait this long means it is stuck
ABORT_WAIT_SECONDS = 10


class CopyStopped(Exception):
    """A cap, the disk or the user stopped the copy."""


class CopyRun:
    """One copy as both threads see it: the user's Cancel, and how far the download got."""

    def __init__(self) -> None:
        self.cancel = threading.Event()
        self.announced = 0
        self.received = 0


def _observe(col: Collection, temp: Path, run: CopyRun) -> None:
    progress = col.latest_progress()
    if progress.WhichOneof("value") == "full_sync":
        run.announced = max(run.announced, progress.full_sync.total)
        run.received = max(run.received, progress.full_sync.transferred)
    # newer Anki streams the download into a temporary file beside the target
    on_disk = sum(p.stat().st_size for p in temp.iterdir() if p.name.startswith(".tmp"))
    run.received = max(run.received, on_disk)


def _download(auth: SyncAuth, temp: Path, run: CopyRun, limits: Limits) -> Path:
    """A full download into `temp`, watched: it is aborted as soon as a cap, the disk or Cancel says so."""
    path = temp / "collection.anki2"
    col = Collection(str(path))
    col.close_for_full_sync()
    failed: list[BaseException] = []

    def download() -> None:
        try:
            col.full_upload_or_download(auth=auth, server_usn=None, upload=False)
        except BaseException as err:  # noqa: BLE001 - handed to the watching thread
            failed.append(err)

    worker = threading.Thread(target=download, name="flipnem-copy", daemon=True)
    started = time.monotonic()
    worker.start()
    while True:
        worker.join(POLL_SECONDS)
        _observe(col, temp, run)
        free = free_bytes(temp, limits)
        reason = over_limit(run.announced, run.received, free, time.monotonic() - started, run.cancel.is_set(), limits)
        if reason or not worker.is_alive():
            break
    if reason:
        col.abort_sync()
        worker.join(ABORT_WAIT_SECONDS)
        raise CopyStopped(reason)
    if failed:
        raise failed[0]
    # opened once more so the file is left whole, then let go
    col.reopen(after_full_sync=True)
    col.close()
    return path


def save_flipnem_copy(auth: SyncAuth, folder: Path, run: CopyRun, limits: Limits) -> Path:
    """Off the main thread: Flipnem's collection (no media), gzipped into a file of its own."""
    folder.mkdir(parents=True, exist_ok=True)
    remove_temp(folder)
    temp = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=folder))
    try:
        downloaded = _download(auth, temp, run, limits)
        if free_bytes(folder, limits) < downloaded.stat().st_size + DISK_MARGIN:
            raise CopyStopped("the disk is almost full")
        target = copy_name(folder)
        compress(downloaded, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    for old in prune(folder):
        log.info("older copy before an upload removed: %s", old.name)
    return target


class CopyWindow(QDialog):
    """What the copy is doing, with a Cancel that stops it; Esc and closing the window stop it too."""

    def __init__(self, run: CopyRun) -> None:
        super().__init__(mw)
        self.run = run
        self.ended = False
        self.setWindowTitle(words.ADDON_TITLE)
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(words.COPYING))
        self.status = QLabel("")
        layout.addWidget(self.status)
        self.button = QPushButton(words.CANCEL)
        qconnect(self.button.clicked, self.reject)
        layout.addWidget(self.button)
        self.timer = QTimer(self)
        qconnect(self.timer.timeout, guarded(self.show_progress))
        self.timer.start(250)

    def show_progress(self) -> None:
        if self.run.cancel.is_set():
            self.status.setText(words.STOPPING)
        elif self.run.received:
            self.status.setText(words.received(self.run.received))

    def reject(self) -> None:
        if not self.ended:
            self.run.cancel.set()
            self.button.setEnabled(False)
            self.show_progress()

    def end(self) -> None:
        self.ended = True
        self.timer.stop()
        self.accept()
        self.deleteLater()


def upload_after_copy(
    native: Callable[..., Any], main: Any, server_usn: int | None, on_done: Callable[[], None]
) -> None:
    """Anki's full upload, once Flipnem's copy is saved or the user says yes a second time."""
    assert mw is not None
    auth = mw.pm.sync_auth()
    folder = Path(mw.pm.backupFolder())
    run = CopyRun()
    window = CopyWindow(run)

    def copied(fut: Future) -> None:
        window.end()
        try:
            path = fut.result()
        except Exception as err:  # noqa: BLE001 - the user decides, with the reason in front of them
            reason = cut(str(err) or type(err).__name__, ERROR_TEXT_CHARS)
            log.warning("could not save Flipnem's collection before the upload: %s", reason)

            def answered(choice: int, *_checked: Any) -> None:  # Qt adds the button's checked state
                if choice == 0:
                    native(main, server_usn, on_done)
                else:
                    on_done()  # nothing changed on either side

            # Anki's own question, as its full-sync choice asks: it waits without a nested event loop
            ask_user_dialog(words.upload_anyway(reason), guarded(answered), default_button=1, parent=mw)
            return
        log.info("Flipnem's collection saved before the upload: %s", path)
        tooltip(
            # a profile's folder name can hold markup characters
            rich_text.escape(words.copy_saved(path)),
            period=8000,
            parent=mw,
        )
        native(main, server_usn, on_done)

    if auth is None:
        copied_failed: Future = Future()
        copied_failed.set_exception(RuntimeError("not signed in"))
        return copied(copied_failed)
    limits = limits_from_env()
    window.show()
    mw.taskman.run_in_background(
        lambda: save_flipnem_copy(auth, folder, run, limits), guarded(copied), uses_collection=False
    )
