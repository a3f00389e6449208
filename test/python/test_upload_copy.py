"""The copy before an upload: its caps, its knobs, its names and pruning, and a real download stopped."""

import gzip
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.sync_pb2 import SyncAuth

from addon import copy_limits
from addon.copy_limits import DISK_MARGIN, MAX_BYTES, MAX_SECONDS, Limits, over_limit

GiB = 1024**3
LIMITS = Limits(max_bytes=2 * GiB, max_seconds=600)


def test_within_every_cap_the_copy_goes_on() -> None:
    assert over_limit(100_000, 50_000, 10 * GiB, 5, False, LIMITS) is None
    # nothing announced yet (headers not in): only what arrived counts
    assert over_limit(0, 0, 10 * GiB, 0, False, LIMITS) is None


@pytest.mark.parametrize(
    ("announced", "received", "free", "elapsed", "cancelled", "reason"),
    [
        (1000, 0, 10 * GiB, 0, True, "you stopped it"),
        (3 * GiB, 0, 100 * GiB, 0, False, "announced 3.0 GiB, more than the 2.0 GiB"),
        (1000, 2 * GiB + 1, 100 * GiB, 0, False, "sent more than the 2.0 GiB"),
        (GiB, 0, 2 * GiB, 0, False, "more than the free disk space allows"),
        (0, 10, DISK_MARGIN - 1, 0, False, "the disk is almost full"),
        (1000, 500, 10 * GiB, 601, False, "longer than 600 seconds"),
    ],
)
def test_each_cap_stops_the_copy_with_its_reason(
    announced: int, received: int, free: int, elapsed: float, cancelled: bool, reason: str
) -> None:
    said = over_limit(announced, received, free, elapsed, cancelled, LIMITS)
    assert said is not None and reason in said


def test_free_space_counts_the_download_and_its_compressed_copy() -> None:
    # 1 GiB announced needs about 2 GiB and the margin: just enough, and just too little
    assert over_limit(GiB, 0, 2 * GiB + DISK_MARGIN, 0, False, LIMITS) is None
    assert over_limit(GiB, 0, 2 * GiB + DISK_MARGIN - 1, 0, False, LIMITS) is not None


@pytest.mark.parametrize(
    ("size", "seconds", "free", "want"),
    [
        (None, None, None, Limits(MAX_BYTES, MAX_SECONDS, None)),
        ("300000", "8", "1000", Limits(300_000, 8, 1000)),
        # a knob only lowers a cap: raised values are clamped to the product's
        ("1e15", "1e9", "-5", Limits(MAX_BYTES, MAX_SECONDS, 0)),
        ("1", "0", None, Limits(copy_limits.MIN_TEST_BYTES, 1, None)),
        # nonsense never stops the add-on loading: the caps stay
        ("lots", "nan", "", Limits(MAX_BYTES, MAX_SECONDS, None)),
    ],
)
def test_test_knobs_are_clamped_and_never_raise(
    monkeypatch: pytest.MonkeyPatch, size: str | None, seconds: str | None, free: str | None, want: Limits
) -> None:
    for name, value in (
        ("FLIPNEM_TEST_COPY_MAX_BYTES", size),
        ("FLIPNEM_TEST_COPY_MAX_SECONDS", seconds),
        ("FLIPNEM_TEST_COPY_FREE_BYTES", free),
    ):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert copy_limits.limits_from_env() == want


def test_pretended_free_space_is_never_more_than_the_disk_has(tmp_path: Path) -> None:
    real = copy_limits.free_bytes(tmp_path, Limits())
    assert copy_limits.free_bytes(tmp_path, Limits(free_bytes=10 * real + GiB)) <= real
    assert copy_limits.free_bytes(tmp_path, Limits(free_bytes=5)) == 5


def test_the_newest_three_copies_stay_and_nothing_of_ankis_is_touched(tmp_path: Path) -> None:
    anki_own = ["backup-2024-01-02-03.04.05.colpkg", "collection.anki2", "flipnem-before-upload-notes.txt"]
    for name in anki_own:
        (tmp_path / name).write_text("x")
    made = []
    for i in range(5):
        path = tmp_path / f"flipnem-before-upload-2024-01-0{i + 1}-10.00.00.anki2.gz"
        path.write_bytes(b"x")
        os.utime(path, (1000 + i, 1000 + i))
        made.append(path.name)
    removed = copy_limits.prune(tmp_path)
    assert sorted(p.name for p in removed) == made[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(anki_own + made[2:])


def test_names_are_never_like_ankis_backups_and_never_clash(tmp_path: Path) -> None:
    first = copy_limits.copy_name(tmp_path)
    first.write_bytes(b"")
    second = copy_limits.copy_name(tmp_path)
    assert first != second
    for path in (first, second):
        assert copy_limits.COPY_NAME.fullmatch(path.name)
        assert not path.name.startswith("backup-") and not path.name.endswith(".colpkg")


def test_compressing_gives_the_same_bytes_back_and_leaves_no_part_file(tmp_path: Path) -> None:
    source = tmp_path / "collection.anki2"
    source.write_bytes(os.urandom(300_000))
    target = tmp_path / "copy.anki2.gz"
    copy_limits.compress(source, target)
    assert gzip.decompress(target.read_bytes()) == source.read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["collection.anki2", "copy.anki2.gz"]


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server on loopback that takes connections and never answers."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(srv.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.getsockname()[1]}/"
    stop.set()
    thread.join()
    for conn in held:
        conn.close()
    srv.close()


def _copy(endpoint: str, folder: Path, limits: Limits, cancel_after: float | None) -> tuple[str, float]:
    from addon.flipnem_copy import CopyRun, save_flipnem_copy

    run = CopyRun()
    if cancel_after is not None:
        threading.Timer(cancel_after, run.cancel.set).start()
    auth = SyncAuth(hkey="k", endpoint=endpoint, io_timeout_secs=600)
    started = time.monotonic()
    with pytest.raises(Exception) as err:
        save_flipnem_copy(auth, folder, run, limits)
    return str(err.value), time.monotonic() - started


def test_cancel_aborts_a_download_that_never_ends(silent_server: str, tmp_path: Path) -> None:
    said, took = _copy(silent_server, tmp_path, Limits(), cancel_after=1.0)
    assert said == "you stopped it"
    assert 1.0 <= took < 2.5
    assert list(tmp_path.iterdir()) == []  # no temporary folder, no copy


def test_the_time_cap_aborts_a_download_that_never_ends(silent_server: str, tmp_path: Path) -> None:
    said, took = _copy(silent_server, tmp_path, Limits(max_seconds=2), cancel_after=None)
    assert "longer than 2 seconds" in said
    assert 2.0 <= took < 4.0
    assert list(tmp_path.iterdir()) == []
