"""What a copy before an upload may cost: its size, its time, the disk it needs, how many are kept.

Pure (no Anki), so each rule is tested alone. The test knobs can only lower a cap, never raise it,
and a knob that does not parse is ignored: a copy is never less bounded, and loading never fails.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from . import words
from .knobs import env_number

COPY_PREFIX = "flipnem-before-upload"
# never Anki's own `backup-….colpkg`: its thinning and Open Backup leave these alone
COPY_NAME = re.compile(re.escape(COPY_PREFIX) + r"-\d{4}-\d\d-\d\d-\d\d\.\d\d\.\d\d(-\d+)?\.anki2\.gz")
TEMP_PREFIX = ".flipnem-copy-"
KEEP = 3
# Anki announces a download's size in 32 bits, and AnkiWeb takes collections up to 300 MB: 2 GiB is
# far above any collection a server syncs, and far below what would fill a disk or memory unnoticed
MAX_BYTES = 2 * 1024**3
# a 2 GiB collection at 3 MB/s; the user can cancel sooner
MAX_SECONDS = 15 * 60
# left free beyond the download and its compressed copy, so Anki itself can still write
DISK_MARGIN = 64 * 1024**2
MIN_TEST_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = MAX_BYTES
    max_seconds: float = MAX_SECONDS
    # None: the disk's own free space; a test may pretend there is less
    free_bytes: int | None = None


def _knob(name: str, low: float, high: float) -> float | None:
    return env_number(name, os.environ.get(name), low, high)


def limits_from_env() -> Limits:
    size = _knob("FLIPNEM_TEST_COPY_MAX_BYTES", MIN_TEST_BYTES, MAX_BYTES)
    seconds = _knob("FLIPNEM_TEST_COPY_MAX_SECONDS", 1, MAX_SECONDS)
    free = _knob("FLIPNEM_TEST_COPY_FREE_BYTES", 0, 2**62)
    return Limits(
        max_bytes=int(size) if size is not None else MAX_BYTES,
        max_seconds=seconds if seconds is not None else MAX_SECONDS,
        free_bytes=int(free) if free is not None else None,
    )


def free_bytes(folder: Path, limits: Limits) -> int:
    real = shutil.disk_usage(folder).free
    return real if limits.free_bytes is None else min(real, limits.free_bytes)


def over_limit(announced: int, received: int, free: int, elapsed: float, cancelled: bool, limits: Limits) -> str | None:
    """Why the copy must stop now, in words for the user (from words.py); None while it may go on."""
    if cancelled:
        return words.COPY_STOPPED
    # the rest of the download, and its compressed copy (at worst as large), must fit
    if announced and 2 * announced - min(received, announced) + DISK_MARGIN > free:
        return words.more_than_free_disk(announced)
    if free < DISK_MARGIN:
        return words.DISK_ALMOST_FULL
    if announced > limits.max_bytes:
        return words.announced_over_cap(announced, limits.max_bytes)
    if received > limits.max_bytes:
        return words.sent_over_cap(limits.max_bytes)
    if elapsed > limits.max_seconds:
        return words.took_too_long(limits.max_seconds)
    return None


def copy_name(folder: Path) -> Path:
    stamp = time.strftime("%Y-%m-%d-%H.%M.%S")
    path = folder / f"{COPY_PREFIX}-{stamp}.anki2.gz"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{COPY_PREFIX}-{stamp}-{n}.anki2.gz"
    return path


def compress(source: Path, target: Path) -> None:
    """`source` gzipped into `target`, whole or not at all."""
    part = target.with_name(target.name + ".part")
    try:
        with source.open("rb") as src, gzip.open(part, "wb", compresslevel=6) as out:
            shutil.copyfileobj(src, out, 1024 * 1024)
        part.replace(target)
    finally:
        part.unlink(missing_ok=True)


def prune(folder: Path, keep: int = KEEP) -> list[Path]:
    """Removes all but the newest `keep` copies (the add-on's names only); returns those removed."""
    copies = sorted(
        (p for p in folder.iterdir() if COPY_NAME.fullmatch(p.name)), key=lambda p: (p.stat().st_mtime, p.name)
    )
    gone = copies[: max(0, len(copies) - keep)]
    for p in gone:
        p.unlink(missing_ok=True)
    return gone


def remove_temp(folder: Path) -> None:
    """Leftovers of a copy that did not end (Anki killed during one); only one copy runs at a time."""
    for p in folder.glob(TEMP_PREFIX + "*"):
        shutil.rmtree(p, ignore_errors=True)
