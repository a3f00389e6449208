"""What the page cannot see from inside its view, reported as facts: where the user is in
Anki and whether they have left keyboard and mouse alone, whether the network is there and
metered, whether the machine slept, what Anki changed, is Preferences open. The page
decides what they mean.

Only Qt knows the windows, input and clocks, so they are sensed here: "place" names the
screen or window the user is in, "quiet" says no input came for the time the page asked,
"active" says Anki is the active application, and "awayMs" says how long the user was away
when a report is their coming back (to Anki from another application, or their first input
after at least the time the page asked).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import aqt
from aqt import mw
from aqt.qt import QApplication, QEvent, QGuiApplication, QObject, Qt, QTimer, qconnect
from PyQt6.QtNetwork import QNetworkInformation

from .compat import network_information
from .guard import guarded

log = logging.getLogger("flipnem_sync")
PLACE_CHECK_MS = 1000
# the windows where the user edits notes: a sync there would pull them out from under the editor
EDITING_WINDOWS = ("Browser", "AddCards", "EditCurrent")
# Every way a user's hand reaches Anki. A key bound to a shortcut (Anki's `s`, `d`, Space, 1-4,
# `y`...) never arrives as KeyPress: it comes as ShortcutOverride, before the shortcut runs.
# Input methods (Japanese, Chinese, Korean) compose text through InputMethod events.
INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.InputMethod,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.MouseMove,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)
# a pointer moving or a wheel turning never acts on Anki by itself (a key or a click may)
POINTER_ONLY = frozenset({QEvent.Type.MouseMove, QEvent.Type.Wheel})
# Qt's timers stop while the machine sleeps; the wall clock does not
HEARTBEAT_MS = 5000
WAKE_GAP_MIN_MS = 8000
Emit = Callable[[str, dict[str, Any]], None]


def change_kinds(changes: Any) -> list[str]:
    """What an operation changed, by Anki's own names (OpChanges' flags that are set)."""
    return sorted(field.name for field, value in changes.ListFields() if value is True)


def preferences_open() -> bool:
    # Preferences writes its form back when it closes: nothing may be saved under it meanwhile
    return aqt.dialogs._dialogs.get("Preferences", [None, None])[1] is not None


def current_place() -> str:
    """The screen or window the user is in, by what Anki shows."""
    assert mw is not None
    if QApplication.activeModalWidget() is not None:
        return "dialog"
    windows = [
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w is not mw and w.isWindow() and w.windowType().name in ("Dialog", "Window")
    ]
    if any(type(w).__name__ in EDITING_WINDOWS for w in windows):
        return "editing"
    if windows:
        return "dialog"
    if mw.state == "review":
        return "review"
    return mw.state if mw.state in ("deckBrowser", "overview") else "other"


class InputWatch(QObject):
    """Sees every keyboard and mouse event Anki gets, and only notes the time: it never filters one out.

    A pointer crossing Anki's windows on its way to another application is not the user coming
    back, so pointer moves count only while Anki is the active application.
    """

    def __init__(self, on_input: Callable[[bool], None], parent: QObject | None = None) -> None:
        super().__init__(parent if parent is not None else mw)
        self._on_input = on_input
        self._active = False
        app = QApplication.instance()
        if isinstance(app, QGuiApplication):
            self._active = app.applicationState() == Qt.ApplicationState.ApplicationActive
            qconnect(app.applicationStateChanged, self._on_state)

    def _on_state(self, state: Qt.ApplicationState) -> None:
        self._active = state == Qt.ApplicationState.ApplicationActive

    def eventFilter(self, _obj: QObject | None, event: QEvent | None) -> bool:  # noqa: N802 - Qt's name
        try:
            if event is not None:
                kind = event.type()
                if kind in INPUT_EVENTS and (self._active or kind != QEvent.Type.MouseMove):
                    self._on_input(kind not in POINTER_ONLY)
        except Exception:  # noqa: BLE001 - never let a watcher break Anki's input
            log.exception("input watch failed")
        return False


class QuitWatch(QObject):
    """Anki quits when its main window is asked to close; a profile switch never asks that."""

    def __init__(self, on_quit: Callable[[], None]) -> None:
        super().__init__(mw)
        self._on_quit = on_quit

    def eventFilter(self, obj: QObject | None, event: QEvent | None) -> bool:  # noqa: N802 - Qt's name
        try:
            if obj is mw and event is not None and event.type() == QEvent.Type.Close:
                self._on_quit()
        except Exception:  # noqa: BLE001 - never let a watcher break Anki's close
            log.exception("quit watch failed")
        return False


class Sensors:
    def __init__(
        self,
        emit: Emit,
        reporting: Callable[[], bool],
        on_prefs_closed: Callable[[], None],
        on_input: Callable[[bool], None],
        scale: float = 1.0,
    ):
        self._emit = emit
        # local changes are reported only for a profile the add-on syncs, and not while it closes
        self._reporting = reporting
        self._on_prefs_closed = on_prefs_closed
        # stops a sync that must not hold the collection once the user is back
        self._on_input = on_input
        # test seam: the quiet time and the heartbeat are timers too
        self._scale = scale
        self.reported: tuple[str, bool, bool] | None = None
        self.quiet_ms: int | None = None
        self.return_ms: int | None = None
        self.last_input = time.monotonic()
        # Anki is the active application; since when it is (or is not)
        self.active = True
        self.active_since = time.monotonic()
        self.online = True
        self.metered = False
        # whether Qt's network backend here can tell a lost connection, and a metered one, at all
        self.reachability = False
        self.metering = False
        self._last_beat = time.time()
        self._input_watch: InputWatch | None = None

    def start(self) -> None:
        assert mw is not None
        place_timer = QTimer(mw)
        qconnect(place_timer.timeout, guarded(self.check_activity))
        place_timer.start(PLACE_CHECK_MS)
        self._input_watch = InputWatch(self.on_input)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self._input_watch)
        if isinstance(app, QGuiApplication):
            self.active = app.applicationState() == Qt.ApplicationState.ApplicationActive
            qconnect(app.applicationStateChanged, guarded(self.on_application_state))
        heartbeat = QTimer(mw)
        qconnect(heartbeat.timeout, guarded(self.beat))
        heartbeat.start(self._heartbeat_ms())
        self._last_beat = time.time()
        self.watch_network()

    def watch_network(self) -> None:
        try:
            if info := network_information():
                self.reachability = info.supports(QNetworkInformation.Feature.Reachability)
                qconnect(info.reachabilityChanged, guarded(self.on_reachability))
                qconnect(info.isMeteredChanged, guarded(self.on_metered))
                if info.supports(QNetworkInformation.Feature.Metered):
                    self.metering = True
                    self.metered = bool(info.isMetered())
        except Exception:  # noqa: BLE001 - without a backend, retries simply keep their schedule
            log.info("no network information on this system")

    def missing(self) -> list[str]:
        """What this Anki cannot sense, for the page to say in a line each."""
        return [name for name, known in (("network", self.reachability), ("metering", self.metering)) if not known]

    def _heartbeat_ms(self) -> int:
        return max(50, int(HEARTBEAT_MS * self._scale))

    def watch_input(self, quiet_ms: int, return_ms: int) -> dict[str, Any]:
        self.quiet_ms = quiet_ms
        self.return_ms = return_ms
        self.check_activity()
        return {"watching": True}

    def _away_ms(self, since: float) -> int | None:
        """How long the user was away, in the page's time (the timer seam scales it), if long enough to say."""
        if self.return_ms is None:
            return None
        away_ms = (time.monotonic() - since) * 1000
        return int(away_ms / self._scale) if away_ms >= self.return_ms * self._scale else None

    def on_application_state(self, state: Qt.ApplicationState) -> None:
        active = state == Qt.ApplicationState.ApplicationActive
        if active == self.active:
            return
        away = self._away_ms(self.active_since) if active else None
        self.active = active
        self.active_since = time.monotonic()
        self.check_activity(away)

    def _quiet(self) -> bool:
        if self.quiet_ms is None:
            return False
        return (time.monotonic() - self.last_input) * 1000 >= self.quiet_ms * self._scale

    def on_input(self, acts: bool = True) -> None:
        """`acts`: a key or a click, which may act on Anki; a pointer's move or a wheel does not."""
        # no input since the last one, or since Anki became active again: that is how long the user was away
        away = self._away_ms(max(self.last_input, self.active_since if self.active else 0.0))
        self.last_input = time.monotonic()
        # the user is back: a running sync that must not hold them is stopped before their click is handled
        self._on_input(acts)
        if away is not None or (self.reported is not None and self.reported[1]):
            # said now, so the page hears the user is back before it hears the stopped sync end
            self.check_activity(away)

    def check_activity(self, away_ms: int | None = None) -> None:
        now = (current_place(), self._quiet(), self.active)
        if now != self.reported or away_ms is not None:
            self.reported = now
            data: dict[str, Any] = {"place": now[0], "quiet": now[1], "active": now[2]}
            if away_ms is not None:
                data["awayMs"] = away_ms
            self._emit("activityChanged", data)

    def beat(self) -> None:
        now = time.time()
        gap_ms = (now - self._last_beat) * 1000
        self._last_beat = now
        if gap_ms > max(6 * self._heartbeat_ms(), WAKE_GAP_MIN_MS):
            log.info("the clock jumped %d s: the machine slept or Anki was stopped", gap_ms // 1000)
            self._emit("clockJumped", {"gapMs": gap_ms})

    def on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        online = reachability != QNetworkInformation.Reachability.Disconnected
        if online != self.online:
            self.online = online
            log.info("network %s", "back" if online else "gone")
            self._emit("networkChanged", {"online": online, "metered": self.metered})

    def on_metered(self, metered: bool) -> None:
        if bool(metered) != self.metered:
            self.metered = bool(metered)
            log.info("connection %s", "metered" if metered else "not metered")
            self._emit("networkChanged", {"online": self.online, "metered": self.metered})

    def on_operation(self, changes: Any, _handler: Any) -> None:
        if not self._reporting():
            return
        kinds = change_kinds(changes)
        if kinds:
            self._emit("localChange", {"kinds": kinds})

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
