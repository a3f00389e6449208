"""Writing the per-profile state off the main thread."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from addon.state_file import ProfileStore, StoreWriter


def test_store_writer_never_lets_an_older_snapshot_win(tmp_path: Any) -> None:
    runs: list[tuple[Any, Any]] = []
    writer = StoreWriter(lambda fn, done: runs.append((fn, done)))
    store = ProfileStore(tmp_path)
    store.data = {"n": 1}
    writer.write(store)
    store.data = {"n": 2}
    written: list[bool] = []
    writer.write(store, lambda: written.append(True))
    runs[1][0]()
    runs[0][0]()  # the older write runs last: skipped
    runs[1][1](SimpleNamespace(exception=lambda: None))
    assert ProfileStore(tmp_path).data == {"n": 2}
    assert written == [True]
    nothing: list[bool] = []
    writer.write(None, lambda: nothing.append(True))
    assert nothing == [True]
