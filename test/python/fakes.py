"""A small fake of Anki's main window and Qt's timers, for the add-on's modules outside Anki."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest


class Signal:
    def __init__(self) -> None:
        self.slots: list[Callable[..., Any]] = []

    def connect(self, fn: Callable[..., Any]) -> None:
        self.slots.append(fn)

    def emit(self, *args: Any) -> None:
        for fn in list(self.slots):
            fn(*args)


class FakeTimer:
    """QTimer as the add-on uses it; a test fires it by hand."""

    made: list[FakeTimer] = []
    single_shots: list[tuple[int, Callable[[], None]]] = []

    def __init__(self, parent: Any = None) -> None:
        self.timeout = Signal()
        self.interval: int | None = None
        self.active = False
        FakeTimer.made.append(self)

    def setSingleShot(self, single: bool) -> None:
        pass

    def start(self, ms: int) -> None:
        self.interval, self.active = ms, True

    def stop(self) -> None:
        self.active = False

    def deleteLater(self) -> None:
        pass

    def fire(self) -> None:
        self.timeout.emit()

    @staticmethod
    def singleShot(ms: int, fn: Callable[[], None]) -> None:
        FakeTimer.single_shots.append((ms, fn))


class FakeProfileManager:
    def __init__(self) -> None:
        self.profile: dict[str, Any] = {"syncKey": "k", "syncUser": "u", "customSyncUrl": "http://x/"}
        self.saved = 0

    def clear_sync_auth(self) -> None:
        self.profile["syncKey"] = None

    def save(self) -> None:
        self.saved += 1


def fake_mw(**over: Any) -> Any:
    mw = SimpleNamespace(pm=FakeProfileManager(), state="deckBrowser", col=None)
    mw.maybe_auto_sync_on_open_close = lambda after: after(True)
    mw._sync_collection_and_media = lambda after: after()
    mw.media_syncer = SimpleNamespace(start=lambda periodic=False: None)
    for key, value in over.items():
        setattr(mw, key, value)
    return mw


def recorder() -> tuple[list[tuple[str, dict[str, Any]]], Any]:
    events: list[tuple[str, dict[str, Any]]] = []
    return events, lambda name, data: events.append((name, data))


def skip_windows(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Stands in for the Skip window a slow close shows; each item is the Skip press it would make."""
    from addon import close

    skips: list[Any] = []

    def window(on_skip: Any) -> Any:
        skips.append(on_skip)
        return SimpleNamespace(finish=lambda: None)

    monkeypatch.setattr(close, "CloseSkipDialog", window)
    return skips
