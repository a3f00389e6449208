"""The sync host: stopping a sync for the user's input, and media's end."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

import pytest

from addon import host

from .fakes import fake_mw, recorder


def test_the_users_first_input_stops_only_a_sync_marked_so_and_only_once(monkeypatch: pytest.MonkeyPatch) -> None:
    from addon import host as host_module

    aborted: list[bool] = []
    col = SimpleNamespace(abort_sync=lambda: aborted.append(True))
    monkeypatch.setattr(host_module, "mw", fake_mw(col=col))
    h = host_module.SyncHost(lambda *_: None, lambda: None)
    h.on_user_input()
    h.collection_running = True
    h.on_user_input()  # the user's own sync: never stopped
    h.abort_on_input, h._aborted_for_input = True, False
    h.on_user_input()
    h.on_user_input()
    assert aborted == [True]


def test_a_media_sync_with_nothing_to_do_is_seen_ending_within_milliseconds(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = iter([True, True, True, True, True, True, True, False])

    def status() -> Any:
        return SimpleNamespace(active=next(checks), progress=None, HasField=lambda _: False)

    def run_in_background(fn: Any, on_done: Any, uses_collection: bool = True) -> None:
        fut: Future = Future()
        fut.set_result(fn())
        on_done(fut)

    slept: list[float] = []
    taskman = SimpleNamespace(run_in_background=run_in_background, run_on_main=lambda fn: fn())
    monkeypatch.setattr(host, "mw", fake_mw(col=SimpleNamespace(media_sync_status=status), taskman=taskman))
    monkeypatch.setattr(host.time, "sleep", slept.append)
    events, emit = recorder()
    host.SyncHost(emit, lambda: None)._monitor_media()
    assert [name for name, _ in events] == ["mediaSyncStarted", "mediaSyncFinished"]
    # a close waits for this: the first look comes after 10 ms, not a quarter second
    assert slept[0] <= 0.01
    assert sum(slept[:3]) < 0.1
    # then less often, never more than four times a second
    assert max(slept) == 0.25 and len(slept) == 7
