"""The sync host: stopping a sync for the user's input, and media's end."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

import pytest

from addon import host

from .fakes import fake_mw, recorder


def test_once_a_close_has_gone_on_no_sync_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host, "mw", fake_mw(col=SimpleNamespace()))
    h = host.SyncHost(lambda *_: None, lambda: None)
    h.closed = True
    for start in (
        lambda: h.sync_collection("close", True, False, False),
        h.sync_media,
        lambda: h.choose_full_sync(lambda: None),
    ):
        with pytest.raises(host.ProtocolError) as refused:
            start()
        assert refused.value.code == "closing"
    assert not h.collection_running and not h.media_running


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


class ProbeCol:
    """A collection whose normal sync finds `exchanged` or nothing; Anki records the last sync only after an exchange."""

    def __init__(self, exchanged: bool) -> None:
        self.ls = 1000
        self.exchanged = exchanged
        self.media_started = 0
        self.media_with_collection: bool | None = None
        self.models = SimpleNamespace(_clear_cache=lambda: None)
        self.db = SimpleNamespace(scalar=lambda sql: self.ls)
        self.schedulers_loaded = 0

    def sync_collection(self, auth: Any, media: bool) -> Any:
        self.media_with_collection = media
        if self.exchanged:
            self.ls += 1
        return SimpleNamespace(required=0, NO_CHANGES=0, host_number=0, new_endpoint="", server_message="")

    def latest_progress(self) -> Any:
        return SimpleNamespace(HasField=lambda _: False)

    def sync_media(self, auth: Any) -> None:
        self.media_started += 1

    def _load_scheduler(self) -> None:
        self.schedulers_loaded += 1


def anki_around(col: ProbeCol, monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], list[bool]]:
    """Anki's main window around a sync that runs at once; returns the sync hooks fired and Anki's refreshes."""

    def run_in_background(fn: Any, on_done: Any, uses_collection: bool = True) -> None:
        fut: Future = Future()
        fut.set_result(fn())
        on_done(fut)

    resets: list[bool] = []
    mw = fake_mw(col=col, taskman=SimpleNamespace(run_in_background=run_in_background, run_on_main=lambda fn: fn()))
    mw.pm.sync_auth = lambda: SimpleNamespace(io_timeout_secs=60)
    mw.pm.profile = {}
    mw.pm.set_host_number = lambda n: None
    mw.media_syncer.is_syncing = lambda: False
    mw.state = "deckBrowser"
    mw.reset = lambda: resets.append(True)
    mw.toolbar = SimpleNamespace(set_sync_status=lambda s: None, update_sync_status=lambda: None)
    monkeypatch.setattr(host, "mw", mw)
    hooks: list[str] = []
    monkeypatch.setattr(
        host,
        "gui_hooks",
        SimpleNamespace(
            sync_will_start=lambda: hooks.append("will"),
            sync_did_finish=lambda: hooks.append("did"),
            media_sync_did_start_or_stop=lambda running: None,
        ),
    )
    monkeypatch.setattr(
        host, "watch_progress", lambda emit, on: SimpleNamespace(stop=lambda: None, deleteLater=lambda: None)
    )
    monkeypatch.setattr(host.SyncHost, "_monitor_media", lambda self, already_flagged=False: None)
    return hooks, resets


@pytest.mark.parametrize("exchanged", [False, True])
def test_a_probe_runs_what_surrounds_a_sync_only_when_it_exchanged_something(
    exchanged: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    col = ProbeCol(exchanged)
    hooks, resets = anki_around(col, monkeypatch)
    events, emit = recorder()
    host.SyncHost(emit, lambda: None).sync_collection("pull", True, False, False, True, 10, probe=True)
    finished = dict(events)["collectionSyncFinished"]
    assert finished["exchanged"] is exchanged and finished["mediaStarted"] is exchanged
    assert col.media_started == (1 if exchanged else 0)
    assert hooks == (["did"] if exchanged else [])
    assert resets == ([True] if exchanged else [])
    assert col.schedulers_loaded == (1 if exchanged else 0)
    # a probe's media goes only once something came or went, never with the collection's request
    assert col.media_with_collection is False


def test_a_sync_that_is_not_a_probe_sends_media_and_runs_anki_hooks_even_with_nothing_to_exchange(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    col = ProbeCol(exchanged=False)
    hooks, _resets = anki_around(col, monkeypatch)
    events, emit = recorder()
    host.SyncHost(emit, lambda: None).sync_collection("periodic", True, False, False, False, None, probe=False)
    finished = dict(events)["collectionSyncFinished"]
    assert finished["mediaStarted"] is True and "exchanged" not in finished
    assert col.media_with_collection is True
    assert hooks == ["will", "did"]
