"""Wires Flipnem Sync into Anki: hooks, menu, sidebar, and the sync seams.

Python makes no policy decisions: the page's orchestrator decides, this file
forwards Anki's events to it and carries out its commands.
"""

from __future__ import annotations

import atexit
import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable
from logging.handlers import QueueHandler, RotatingFileHandler
from pathlib import Path
from typing import Any

import aqt
from aqt import gui_hooks, mw
from aqt.qt import QAction, QApplication, QKeySequence, QTimer, qconnect
from PyQt6.QtNetwork import QNetworkInformation

from . import storage
from .account import Account
from .bridge import Bridge
from .guard import guarded
from .host import SyncHost
from .protocol import ProtocolError
from .storage import ProfileStore
from .views import ADDON_TITLE, WEB_EXPORTS, CloseSkipDialog, SettingsDialog, SidebarDock

ADDON_DIR = Path(__file__).parent
log = logging.getLogger("flipnem_sync")
IDLE_STATES = ("deckBrowser", "overview")
# a close that takes longer than this offers a Skip button
SKIP_OFFER_AFTER_SECONDS = 1.5
# the longest a close waits for an aborted sync to let go of the collection
DRAIN_SECONDS = 2.0
# how long a close waits for the add-on's own state file to be written
STORE_WRITE_BOUND_SECONDS = 1.0
# how long Anki's exit waits for the last log lines
LOG_FLUSH_SECONDS = 1.0


def _setup_logging(user_files: Path) -> None:
    user_files.mkdir(parents=True, exist_ok=True)
    handler = RotatingFileHandler(user_files / "flipnem-sync.log", maxBytes=512_000, backupCount=1, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    # the file is written on a thread of its own, never on Anki's main thread
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


def _user_config() -> Any:
    """The user's config from meta.json, as it is: Anki's getConfig raises on a config that is not an object."""
    assert mw is not None
    try:
        meta = mw.addonManager.addonMeta(mw.addonManager.addonFromModule(__name__))
    except Exception:  # noqa: BLE001 - an unreadable meta.json: the defaults, with a line saying so
        log.exception("could not read the add-on's meta.json")
        return None
    return meta.get("config", {}) if isinstance(meta, dict) else None


class FlipnemSync:
    def __init__(self) -> None:
        assert mw is not None
        self.user_files = ADDON_DIR / "user_files"
        _setup_logging(self.user_files)
        manifest = json.loads((ADDON_DIR / "manifest.json").read_text(encoding="utf-8"))
        self.version: str = manifest.get("human_version", "")
        self.config, self.config_problems = storage.clean_config(_user_config())
        self.bridge = Bridge()
        self.host = SyncHost(self._host_emit, self._note_progress)
        self.account = Account(
            self.bridge.emit, lambda: self.store, self._write_store, self.host.busy, self._on_signed_in
        )
        self.settings_dialog: SettingsDialog | None = None
        self.store: ProfileStore | None = None
        self.dock: SidebarDock | None = None
        self.page_ready = False
        self.open_sync_pending = False
        self.closing = False
        self.close_after: Callable[[bool], None] | None = None
        self.close_requested_at = 0.0
        self.last_progress_at = 0.0
        self.close_watchdog = QTimer(mw)
        self.close_skip: CloseSkipDialog | None = None
        self.wakeups: dict[str, QTimer] = {}
        self.button_waiters: list[Callable[[], None]] = []
        # what the sidebar page would have been told while it was loading, told after its hello
        self.missed_events: list[tuple[str, dict[str, Any]]] = []
        self.idle: bool | None = None
        self.online = True
        self.paused = False
        self._save_lock = threading.Lock()
        self._save_seq = 0
        self._written_seq = 0
        # test seam: scales only the Qt timers that drive the schedule
        self.timer_scale = float(os.environ.get("FLIPNEM_TIMER_SCALE", "1") or 1)

    # once per process

    def setup(self) -> None:
        assert mw is not None
        mw.addonManager.setWebExports(__name__, WEB_EXPORTS)
        gui_hooks.webview_did_receive_js_message.append(self.bridge.on_js_message)
        gui_hooks.profile_did_open.append(guarded(self.on_profile_open))
        gui_hooks.profile_will_close.append(guarded(self.on_profile_will_close))
        gui_hooks.dialog_manager_did_open_dialog.append(guarded(self.on_dialog_opened))
        gui_hooks.operation_did_execute.append(guarded(self.on_operation))
        qconnect(self.close_watchdog.timeout, guarded(self._check_close_bound))
        idle_timer = QTimer(mw)
        qconnect(idle_timer.timeout, guarded(self._check_idle))
        idle_timer.start(2000)
        self._watch_network()
        self._register_handlers()
        self._add_menu()
        self._take_over_native_sync()
        log.info("Flipnem Sync %s loaded", self.version)

    def _add_menu(self) -> None:
        assert mw is not None
        self.sidebar_action = QAction(f"{ADDON_TITLE} Status", mw)
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setShortcut(QKeySequence(str(self.config["sidebarShortcut"])))
        # the action's check mark mirrors the dock, so a trigger carries the wanted visibility
        qconnect(self.sidebar_action.triggered, guarded(self.set_sidebar_visible))
        settings_action = QAction(f"{ADDON_TITLE}…", mw)
        qconnect(settings_action.triggered, guarded(lambda *_checked: self.open_settings()))
        mw.form.menuTools.addAction(settings_action)
        mw.form.menuTools.addAction(self.sidebar_action)
        mw.addonManager.setConfigAction(__name__, guarded(self.open_settings))

    def _register_handlers(self) -> None:
        b = self.bridge
        b.handle("hello", self._hello)
        b.handle("ping", lambda args, view: {"pong": True, "at": time.time()})
        b.handle("syncCollection", lambda args, view: self.host.sync_collection(args["trigger"], args["media"]))
        b.handle("syncMedia", lambda args, view: self.host.sync_media())
        b.handle("abortMedia", lambda args, view: self.host.abort())
        b.handle("continueClose", lambda args, view: self._continue_close(args["reason"]))
        b.handle("setWakeup", lambda args, view: self._set_wakeup(args["timer"], args["delayMs"]))
        b.handle("cancelWakeup", lambda args, view: self._cancel_wakeup(args["timer"]))
        b.handle("chooseFullSync", lambda args, view: self.host.choose_full_sync(self._release_button_waiters))
        b.handle("saveState", lambda args, view: self._save_state(args["state"]))
        b.handle("openSettings", lambda args, view: self.open_settings())
        b.handle("closeSettings", lambda args, view: self.close_settings())
        b.handle("signIn", lambda args, view: self.account.sign_in(args["server"], args["username"], args["password"]))
        b.handle("signOut", lambda args, view: self.account.sign_out())
        b.handle("testConnection", lambda args, view: self.account.test_connection(args.get("server")))
        b.handle("toggleSidebar", lambda args, view: self.toggle_sidebar())
        b.handle("saveSettings", lambda args, view: self._save_settings(args["settings"]))
        b.handle("setPaused", lambda args, view: self._set_paused(args["paused"]))

    # the profile

    def managed(self) -> bool:
        """Only profiles signed in through the add-on, and still signed in to that account and server, are ours.

        A later login through Anki's own dialog (to AnkiWeb, say) changes the user or address: Anki's then.
        """
        assert mw is not None
        profile = mw.pm.profile
        if not (self.store and self.store.managed and profile and profile.get("syncKey")):
            return False
        return profile.get("syncUser") == self.store.data.get("user") and (
            profile.get("customSyncUrl") == self.store.data.get("server")
        )

    def session(self) -> dict[str, Any]:
        assert mw is not None and self.store is not None
        profile = mw.pm.profile or {}
        settings = storage.settings_from_profile(profile, self.store.data, self.config)
        return {
            "profile": mw.pm.name,
            "signedIn": self.managed(),
            "user": profile.get("syncUser") if self.managed() else None,
            "server": mw.pm.sync_endpoint() if self.managed() else None,
            "settings": settings.to_json(),
            "state": self.store.data.get("state"),
        }

    def on_profile_open(self) -> None:
        assert mw is not None
        self.store = ProfileStore(self.user_files, mw.pm.name or "")
        profile = mw.pm.profile if mw.pm.profile is not None else {}
        if storage.recover_managed(profile, self.store):
            self.store.problem = self.store.problem or (
                "Flipnem Sync's saved state was missing; this profile is still signed in to Flipnem, so syncing goes on."
            )
            self._write_store()
        storage.remember_managed(profile, self.store)
        self.closing = False
        self.open_sync_pending = True
        self.missed_events = []
        if self.dock is None:
            self.dock = SidebarDock(self.bridge, guarded(self._on_sidebar_visibility), guarded(self._on_page_loading))
        self.dock.place(self.store.data.get("sidebarArea", "right"), self.store.data.get("sidebarVisible") is True)
        if self.page_ready:
            self._emit_profile_opened()
        log.info("profile opened (managed: %s)", self.managed())

    def _emit_profile_opened(self) -> None:
        data = self.session()
        data["openSync"] = self._take_open_sync()
        self.bridge.emit("profileOpened", data)

    def _take_open_sync(self) -> bool:
        pending, self.open_sync_pending = self.open_sync_pending, False
        return pending

    def _tell_page(self, name: str, data: dict[str, Any]) -> None:
        """An event for the orchestrator: now, or right after the loading page's hello."""
        if self.page_ready:
            self.bridge.emit(name, data)
        elif (name, data) not in self.missed_events:
            self.missed_events.append((name, data))

    def _on_page_loading(self) -> None:
        self.page_ready = False

    def _hello(self, args: dict[str, Any], view: Any) -> dict[str, Any]:
        assert mw is not None
        sidebar = args["page"] == "sidebar"
        if sidebar:
            # the orchestrator lives in the sidebar page; a fresh one must hear idle again
            self.page_ready = True
            self.idle = None
        reply: dict[str, Any] = {
            "version": self.version,
            "defaults": {"server": storage.FLIPNEM_SERVER, "settings": storage.default_settings(self.config).to_json()},
            "keyAccepted": self.store.data.get("keyAccepted") if self.store else None,
            "problems": list(self.config_problems)
            + ([self.store.problem] if self.store and self.store.problem else []),
            "session": None,
            # held here, so a restarted page stays paused until Anki restarts
            "paused": self.paused,
        }
        # a close waiting for its sync still has its session: a page that comes up now runs the close sync
        waiting_close = self.closing and self.close_after is not None
        if self.store is not None and (not self.closing or waiting_close):
            session = self.session()
            # only the sidebar runs the orchestrator, so only it claims the open sync
            open_sync = self._take_open_sync() if sidebar else False
            session["openSync"] = open_sync and not self.closing
            reply["session"] = session
        if sidebar:
            missed, self.missed_events = self.missed_events, []
            if waiting_close:
                missed.append(("profileClosing", {"boundSeconds": int(self.config["closeBoundSeconds"])}))
            log.info("sidebar page ready (told after hello: %s)", [name for name, _ in missed])

            def tell() -> None:
                for name, data in missed:
                    self.bridge.emit(name, data)

            QTimer.singleShot(0, guarded(tell))
        return reply

    def on_profile_will_close(self) -> None:
        self.closing = True
        self.close_settings()
        for name in list(self.wakeups):
            self._cancel_wakeup(name)

    # the native seams: while a profile is ours, every sync goes through the page

    def _take_over_native_sync(self) -> None:
        assert mw is not None
        native_open_close = mw.maybe_auto_sync_on_open_close
        native_sync = mw._sync_collection_and_media
        native_media_start = mw.media_syncer.start

        def maybe_auto_sync_on_open_close(after_sync: Callable[[bool], None]) -> None:
            if not self._managedguarded():
                return native_open_close(after_sync)
            if not self.closing:
                # Anki goes on opening; the page runs the open sync
                return after_sync(False)
            try:
                self._begin_close(after_sync)
            except Exception:  # noqa: BLE001 - a close must always go on: Anki's own way, then
                log.exception("could not begin the close; Anki's own close sync goes on")
                self.close_after = None
                self.close_watchdog.stop()
                native_open_close(after_sync)

        def sync_collection_and_media(after_sync: Callable[[], None]) -> None:
            if not self._managedguarded():
                return native_sync(after_sync)
            try:
                self.button_waiters.append(after_sync)
                self._tell_page("syncRequested", {"trigger": "button"})
            except Exception:  # noqa: BLE001 - the press is never lost: Anki's own sync runs it
                log.exception("could not hand the Sync press over; Anki's own sync runs it")
                if after_sync in self.button_waiters:
                    self.button_waiters.remove(after_sync)
                native_sync(after_sync)

        def media_syncer_start(is_periodic_sync: bool = False) -> None:
            if is_periodic_sync and self._managedguarded():
                return  # the add-on's own timer runs periodic media
            return native_media_start(is_periodic_sync)

        mw.maybe_auto_sync_on_open_close = maybe_auto_sync_on_open_close  # type: ignore[method-assign]
        mw._sync_collection_and_media = sync_collection_and_media  # type: ignore[method-assign]
        mw.media_syncer.start = media_syncer_start  # type: ignore[method-assign]
        gui_hooks.sync_did_finish.append(guarded(self._release_button_waiters))

    def _managedguarded(self) -> bool:
        try:
            return self.managed()
        except Exception:  # noqa: BLE001 - when in doubt, Anki behaves as without the add-on
            log.exception("managed check failed")
            return False

    def _release_button_waiters(self) -> None:
        waiters, self.button_waiters = self.button_waiters, []
        for after_sync in waiters:
            try:
                after_sync()
            except Exception:  # noqa: BLE001
                log.exception("after-sync callback failed")

    # close: bounded by the time since the last progress

    def _begin_close(self, after_sync: Callable[[bool], None]) -> None:
        self.close_after = after_sync
        self.close_requested_at = self.last_progress_at = time.monotonic()
        bound = int(self.config["closeBoundSeconds"])
        self.host.io_timeout = bound
        log.info("close requested; bound %ss", bound)
        if self.page_ready:
            self.bridge.emit("profileClosing", {"boundSeconds": bound})
        self.close_watchdog.start(250)

    def _note_progress(self) -> None:
        self.last_progress_at = time.monotonic()

    def _check_close_bound(self) -> None:
        if self.close_after is None:
            self.close_watchdog.stop()
            return
        now = time.monotonic()
        if now - self.last_progress_at > float(self.config["closeBoundSeconds"]):
            self._continue_close("bound")
        elif now - self.close_requested_at > SKIP_OFFER_AFTER_SECONDS and self.close_skip is None:
            # Anki disables its window while closing, so the way to skip is a window of its own
            self.close_skip = CloseSkipDialog(guarded(lambda: self._continue_close("skipped")))

    def _continue_close(self, reason: str) -> dict[str, Any]:
        after, self.close_after = self.close_after, None
        self.close_watchdog.stop()
        if self.close_skip is not None:
            self.close_skip.finish()
            self.close_skip = None
        if after is None:
            return {"continued": False}
        if self.host.busy():
            # Anki must not close the collection under a sync that is still stopping
            self.host.abort()
        self._drain_then(after, reason, time.monotonic() + DRAIN_SECONDS)
        return {"continued": True}

    def _drain_then(self, after: Callable[[bool], None], reason: str, deadline: float) -> None:
        if self.host.busy() and time.monotonic() < deadline:
            QTimer.singleShot(100, guarded(lambda: self._drain_then(after, reason, deadline)))
            return
        waited = time.monotonic() - self.close_requested_at
        self.host.io_timeout = None
        if self.store is not None:
            self.store.data["lastClose"] = {"reason": reason, "waitedSeconds": round(waited, 3), "at": time.time()}
        log.info("close continues after %.2fs (%s)", waited, reason)
        continued = False

        def go_on() -> None:
            nonlocal continued
            if not continued:
                continued = True
                after(True)

        # the close goes on once the state is on disk, or after a short bound if the disk is stuck
        self._write_store(then=go_on)
        QTimer.singleShot(int(STORE_WRITE_BOUND_SECONDS * 1000), guarded(go_on))

    # wakeups: Qt timers, because page timers are throttled while hidden

    def _set_wakeup(self, name: str, delay_ms: int) -> dict[str, Any]:
        assert mw is not None
        self._cancel_wakeup(name)
        timer = QTimer(mw)
        timer.setSingleShot(True)
        qconnect(timer.timeout, guarded(lambda: self._fire_wakeup(name, timer)))
        timer.start(max(0, int(delay_ms * self.timer_scale)))
        self.wakeups[name] = timer
        return {"armed": True}

    def _fire_wakeup(self, name: str, timer: QTimer) -> None:
        if self.wakeups.get(name) is timer:
            del self.wakeups[name]
            timer.deleteLater()
            self.bridge.emit("wakeup", {"timer": name})

    def _cancel_wakeup(self, name: str) -> dict[str, Any]:
        timer = self.wakeups.pop(name, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        return {"cancelled": timer is not None}

    # idle: mid-session syncs wait for it, because a sync locks the collection and clears undo

    def _check_idle(self) -> None:
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
            self.bridge.emit("activityChanged", {"idle": idle})

    # the network: when it comes back, a waiting retry runs at once and backoff starts afresh

    def _watch_network(self) -> None:
        try:
            if QNetworkInformation.loadDefaultBackend() and (info := QNetworkInformation.instance()):
                qconnect(info.reachabilityChanged, guarded(self.on_reachability))
        except Exception:  # noqa: BLE001 - without a backend, retries simply keep their schedule
            log.info("no network information on this system")

    def on_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        online = reachability != QNetworkInformation.Reachability.Disconnected
        if online != self.online:
            self.online = online
            log.info("network %s", "back" if online else "gone")
            self.bridge.emit("networkChanged", {"online": online})

    # local changes: the page may send them to Flipnem in the background

    def on_operation(self, changes: Any, _handler: Any) -> None:
        if self.closing or not self.managed():
            return
        if changes.card or changes.note_text or changes.deck or changes.notetype or changes.tag:
            # one small event per operation; the page waits for the changes to settle
            self._tell_page("localChange", {})

    # settings shown in Preferences are read back when it closes (no hook announces a change)

    def on_dialog_opened(self, _manager: Any, name: str, instance: Any) -> None:
        if name == "Preferences" and not getattr(instance, "_flipnem_watched", False):
            instance._flipnem_watched = True
            qconnect(instance.finished, guarded(lambda *_: self._emit_settings()))

    def _save_settings(self, data: dict[str, Any]) -> dict[str, Any]:
        """Applies at once; the three seed switches go to Anki's own keys, so Preferences agrees."""
        assert mw is not None
        if self.store is None or mw.pm.profile is None:
            raise ProtocolError("notOpen", "no profile is open")
        if aqt.dialogs._dialogs.get("Preferences", [None, None])[1] is not None:
            raise ProtocolError("prefsOpen", "Close Tools > Preferences first, or it will undo this change.")
        settings, problem = storage.validate_settings(data)
        if settings is None:
            raise ProtocolError("badSettings", problem or "invalid settings")
        storage.apply_settings(settings, mw.pm.profile, self.store.data)
        mw.pm.save()
        self._write_store()
        self._emit_settings()
        return {"settings": settings.to_json()}

    def _set_paused(self, paused: bool) -> dict[str, Any]:
        self.paused = paused
        return {"paused": paused}

    def _on_signed_in(self) -> None:
        self._first_connection()
        if not self.page_ready:
            # the loading page will not hear accountChanged: its sign-in sync, the user's own, replaces the open sync
            self.open_sync_pending = False
            self._tell_page("syncRequested", {"trigger": "signIn"})

    def _first_connection(self) -> None:
        """The seed's promise: on first connecting, the three switches start as the defaults say (all on)."""
        assert mw is not None
        if self.store is None or mw.pm.profile is None or self.store.data.get("settingsApplied"):
            return
        storage.apply_settings(storage.default_settings(self.config), mw.pm.profile, self.store.data)
        self.store.data["settingsApplied"] = True
        self._emit_settings()

    def _emit_settings(self) -> None:
        if self.store is not None and not self.closing:
            self.bridge.emit("settingsChanged", {"settings": self.session()["settings"]})

    # state

    def _save_state(self, state: dict[str, Any]) -> dict[str, Any]:
        if self.store is None:
            return {"saved": False}
        self.store.data["state"] = state
        self._write_store()
        return {"saved": True}

    def _write_store(self, then: Callable[[], None] | None = None) -> None:
        """Snapshot on the main thread, write off it (disk never blocks Anki); `then` runs once written."""
        assert mw is not None
        if self.store is None:
            if then is not None:
                then()
            return
        store, text = self.store, self.store.snapshot()
        self._save_seq += 1
        seq = self._save_seq

        def write() -> None:
            with self._save_lock:
                # writes may run out of order on the pool; an older snapshot never replaces a newer one
                if seq > self._written_seq:
                    store.write(text)
                    self._written_seq = seq

        def done(fut: Any) -> None:
            if fut.exception() is not None:
                log.error("could not save the add-on's state: %s", fut.exception())
            if then is not None:
                then()

        mw.taskman.run_in_background(write, guarded(done), uses_collection=False)

    # what the host reports also teaches the settings panel whether the key still works

    def _host_emit(self, name: str, data: dict[str, Any]) -> None:
        assert mw is not None
        outcome = data.get("outcome")
        if name in ("collectionSyncFinished", "mediaSyncFinished") and self.store is not None:
            if name == "collectionSyncFinished" and outcome in ("ok", "fullSyncRequired"):
                self.store.data["keyAccepted"] = True
            elif outcome == "authFailed":
                # as Anki does: a rejected key is cleared, and the profile is no longer ours
                mw.pm.clear_sync_auth()
                self.store.data["keyAccepted"] = False
                self.store.data["managed"] = False
                if mw.pm.profile is not None:
                    storage.remember_managed(mw.pm.profile, self.store)
        self.bridge.emit(name, data)
        if outcome in ("authFailed", "fullSyncRequired") and not self.closing:
            # the two cases that need the user: shown clearly, in the sidebar, never as a dialog
            self.show_sidebar()

    # settings dialog

    def open_settings(self) -> None:
        if self.store is None:
            return
        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self.bridge, self._settings_closed)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        self.settings_dialog.activateWindow()

    def close_settings(self) -> dict[str, Any]:
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        return {"closed": True}

    def _settings_closed(self) -> None:
        self.settings_dialog = None

    # sidebar

    def _on_sidebar_visibility(self, visible: bool) -> None:
        self.sidebar_action.setChecked(visible)
        if self.store is not None and self.dock is not None and not self.closing:
            self.store.data["sidebarVisible"] = visible
            self.store.data["sidebarArea"] = self.dock.area_name()

    def set_sidebar_visible(self, visible: bool) -> None:
        if self.dock is not None:
            self.dock.setVisible(bool(visible))

    def toggle_sidebar(self) -> None:
        if self.dock is not None:
            self.dock.setVisible(not self.dock.isVisible())

    def show_sidebar(self) -> None:
        if self.dock is not None:
            self.dock.setVisible(True)
            self.dock.raise_()


instance: FlipnemSync | None = None


def start() -> None:
    global instance
    instance = FlipnemSync()
    instance.setup()
