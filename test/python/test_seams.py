"""Anki's own sync paths: ours go to the page, others stay Anki's."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest

from addon import seams

from .fakes import fake_mw, recorder


def test_seams_hand_ours_to_the_page_and_leave_others_to_anki(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    mw = fake_mw()
    mw.maybe_auto_sync_on_open_close = lambda after: calls.append("native open/close")
    mw._sync_collection_and_media = lambda after: calls.append("native sync")
    mw.media_syncer = SimpleNamespace(start=lambda periodic=False: calls.append(f"native media {periodic}"))
    monkeypatch.setattr(seams, "mw", mw)
    finished: list[Any] = []
    monkeypatch.setattr(seams.gui_hooks, "sync_did_finish", SimpleNamespace(append=finished.append))
    ours, closing = [True], [False]
    told, tell = recorder()
    begun: list[Any] = []
    s = seams.NativeSeams(lambda: ours[0], lambda: closing[0], begun.append, lambda: calls.append("abandon"), tell)
    s.install()

    opened: list[bool] = []
    mw.maybe_auto_sync_on_open_close(opened.append)
    assert opened == [False]
    closing[0] = True
    mw.maybe_auto_sync_on_open_close(opened.append)
    assert len(begun) == 1
    pressed: list[bool] = []
    mw._sync_collection_and_media(lambda: pressed.append(True))
    assert told == [("syncRequested", {"trigger": "button"})]
    finished[0]()
    assert pressed == [True]
    mw.media_syncer.start(True)
    assert calls == []

    ours[0] = False
    mw._sync_collection_and_media(lambda: None)
    mw.media_syncer.start(True)
    assert calls == ["native sync", "native media True"]


def test_seams_fall_back_to_anki_when_handing_over_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    mw = fake_mw()
    mw.maybe_auto_sync_on_open_close = lambda after: calls.append("native close")
    monkeypatch.setattr(seams, "mw", mw)
    monkeypatch.setattr(seams.gui_hooks, "sync_did_finish", SimpleNamespace(append=lambda fn: None))

    def broken(after: Any) -> None:
        raise RuntimeError("page gone")

    s = seams.NativeSeams(lambda: True, lambda: True, broken, lambda: calls.append("abandon"), lambda n, d: None)
    s.install()
    mw.maybe_auto_sync_on_open_close(lambda ok: None)
    assert calls == ["abandon", "native close"]
    s2 = seams.NativeSeams(lambda: 1 / 0 == 0, lambda: False, broken, lambda: None, lambda n, d: None)
    assert s2.ours() is False


def test_a_close_that_came_in_while_the_open_was_held_keeps_its_own_callback(monkeypatch: pytest.MonkeyPatch) -> None:
    """Anki asks for its open sync after the hold; a close that came in first is still the one that goes on."""
    mw = fake_mw()
    monkeypatch.setattr(seams, "mw", mw)
    closing = [True]
    begun: list[Any] = []
    s = seams.NativeSeams(lambda: True, lambda: closing[0], begun.append, lambda: None, recorder()[1])
    s.install()
    closed: list[bool] = []
    mw.maybe_auto_sync_on_open_close(closed.append)  # the close's own call (a signal, in the hold)
    opened: list[bool] = []
    mw.maybe_auto_sync_on_open_close(opened.append)  # the open's call, once the hold is over
    assert begun == [closed.append] and opened == [False]
    # the next profile opens and closes as usual
    closing[0] = False
    mw.maybe_auto_sync_on_open_close(opened.append)
    closing[0] = True
    mw.maybe_auto_sync_on_open_close(closed.append)
    assert len(begun) == 2 and opened == [False, False]
