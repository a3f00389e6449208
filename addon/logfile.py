"""The add-on's log file, written on a thread of its own so a slow disk never stalls Anki."""

from __future__ import annotations

import atexit
import logging
import queue
import threading
from logging.handlers import QueueHandler, RotatingFileHandler
from pathlib import Path

from .places import LOG_NAME

log = logging.getLogger("flipnem_sync")
# how long Anki's exit waits for the last log lines
LOG_FLUSH_SECONDS = 1.0


def setup_logging(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(folder / LOG_NAME, maxBytes=512_000, backupCount=1, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    lines: queue.SimpleQueue[logging.LogRecord | None] = queue.SimpleQueue()

    def write_lines() -> None:
        while (record := lines.get()) is not None:
            handler.handle(record)

    writer = threading.Thread(target=write_lines, name="flipnem-sync-log", daemon=True)
    writer.start()

    def flush_at_exit() -> None:
        # a stalled disk may cost Anki's exit a second, never more
        lines.put(None)
        writer.join(LOG_FLUSH_SECONDS)

    atexit.register(flush_at_exit)
    log.handlers[:] = [QueueHandler(lines)]  # type: ignore[arg-type]
    log.setLevel(logging.INFO)
    log.propagate = False
