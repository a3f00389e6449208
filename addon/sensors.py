"""What the page cannot see from inside its view, reported as facts: is the user idle, is
the network there, what Anki changed, is Preferences open. The page decides what they mean.

Idle is sensed here because only Qt knows the windows and Anki's state; it is a fact, not
a policy: "idle" is the deck list or a deck's overview, with no dialog or other window.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import aqt
from aqt import mw
from aqt.qt import QApplication, QTimer, qconnect
from PyQt6.QtNetwork import QNetworkInformation

from .guard import guarded

log = logging.getLogger("flipnem_sync")
IDLE_STATES = ("deckBrowser", "overview")
IDLE_CHECK_MS = 2000
Emit = Callable[[str, dict[str, Any]], None]


def change_kinds(changes: Any) -> list[str]:
    """What an operation changed, by Anki's own names (OpChanges' flags that are set)."""
    return sorted(field.name for field, value in changes.ListFields() if value is True)


def preferences_open() -> bool:
    # Preferences writes its form back when it closes: nothing may be saved under it meanwhile
    return aqt.dialogs._dialogs.get("Preferences", [None, None])[1] is not None


class Sensors:
    def __init__(self, emit: Emit, tell_page: Emit, reporting: Callable[[], bool], on_prefs_closed: Callable[[], None]):
        self._emit = emit
        self._tell_page = tell_page
        # local changes are reported only for a profile the add-on syncs, and not while it closes
        self._reporting = reporting
        self._on_prefs_closed = on_prefs_closed
        self.idle: bool | None = None
        self.online = True

    def start(self) -> None:
        assert mw is not None
        idle_timer = QTimer(mw)
        qconnect(idle_timer.timeout, guarded(self.check_idle))
        idle_timer.start(IDLE_CHECK_MS)
        try:
            if QNetworkInformation.loadDefaultBackend() and (info := QNetworkInformation.instance()):
                qconnect(info.reachabilityChanged, guarded(self.on_reachability))
        except Exception:  # noqa: BLE001 - without a backend, retries simply keep their schedule
            log.info("no network information on this system")

    def forget_idle(self) -> None:
        """A fresh page must hear the user's activity again."""
        self.idle = None

    def check_idle(self) -> None:
        assert mw is not None
        idle = (
            mw.state in IDLE_STATES
            and QApplication.activeModalWidget() is None
            and not any(
                w.isVisible() and w is not mw and w.isWindow()
                for w in QApplication.topLevelWidgets()
                if w.windowType().name in ("Dialog", "Window")
            )
        )
        if idle != self.idle:
            self.idle = idle
            self._emit("activityChanged", {"idle": idle})

    def on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        online = reachability != QNetworkInformation.Reachability.Disconnected
        if online != self.online:
            self.online = online
            log.info("network %s", "back" if online else "gone")
            self._emit("networkChanged", {"online": online})

    def on_operation(self, changes: Any, _handler: Any) -> None:
        if not self._reporting():
            return
        kinds = change_kinds(changes)
        if kinds:
            self._tell_page("localChange", {"kinds": kinds})

    def on_dialog_opened(self, _manager: Any, name: str, instance: Any) -> None:
        if name != "Preferences" or getattr(instance, "_flipnem_watched", False):
            return
        instance._flipnem_watched = True
        self._emit("preferencesChanged", {"open": True})

        def closed(*_: Any) -> None:
            self._emit("preferencesChanged", {"open": False})
            # no hook announces a change made there: its keys are read back
            self._on_prefs_closed()

        qconnect(instance.finished, guarded(closed))
