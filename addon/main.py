"""Wires Flipnem Sync into Anki: hooks, menu, sidebar, and the page's commands (commands.py).

Python makes no policy decisions: the page's orchestrator decides, this file forwards
Anki's events and facts to it (kept in the journal for a page started again) and carries out
its commands with the parts beside it: host (syncs), account (sign-in), seams (Anki's own sync
paths), close (the bounded close), sensors (idle, network, changes), wakeups (the page's clock).
What stays here on purpose: whether a profile is ours (Anki asks synchronously), the close
watchdog (it must hold while the page is hung), and holding Anki's window during a close.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from aqt import gui_hooks, mw

from . import commands, places, protocol, storage
from .account import Account
from .bridge import Bridge
from .close import BoundedClose
from .compat import addon_profile
from .guard import guarded, run_guarded
from .host import SyncHost
from .journal import Journal
from .logfile import log, setup_logging
from .open_hold import hold_until
from .pages import serve_pages
from .seams import NativeSeams
from .sensors import QuitWatch, Sensors, preferences_open
from .state_file import ProfileStore, StoreWriter, recover_managed, remember_managed
from .top_bar import TopBar
from .views import Panels
from .wakeups import Wakeups, timer_scale

ADDON_DIR = Path(__file__).parent


class FlipnemSync:
    def __init__(self) -> None:
        assert mw is not None
        # where versions before this one kept the log and each profile's state, inside addons21/
        self.old_user_files = ADDON_DIR / "user_files"
        self.data_folder = places.log_folder(Path(mw.pm.base))
        places.move_old_log(self.old_user_files, self.data_folder)
        setup_logging(self.data_folder)
        manifest = json.loads((ADDON_DIR / "manifest.json").read_text(encoding="utf-8"))
        self.version: str = manifest.get("human_version", "")
        self.config, self.config_problems = storage.clean_config(storage.user_config(mw.addonManager, __name__))
        self.bridge = Bridge()
        self.journal = Journal(self.bridge.deliver)
        # the settings panel's own events; every other event is the orchestrator's, kept for its page
        self.panel_events = frozenset(protocol.DEFINITION["panelEvents"])
        self.store: ProfileStore | None = None
        self.writer = StoreWriter(
            lambda fn, done: mw.taskman.run_in_background(fn, guarded(done), uses_collection=False)
        )
        self.host = SyncHost(self._host_emit, lambda: self.close.note_progress())
        self.close = BoundedClose(
            self.host,
            int(self.config["closeBoundSeconds"]),
            int(self.config["closeTotalSeconds"]),
            self._emit,
            self._record_close,
            self._write_store,
        )
        self.account = Account(self._emit, lambda: self.store, self._write_store, self._defaults)
        scale = timer_scale(os.environ.get("FLIPNEM_TIMER_SCALE"))
        self.wakeups = Wakeups(self._emit, scale, lambda: self.sensors.beat())
        self.sensors = Sensors(
            self._emit,
            lambda: (
                not self.closing and not self.host.refreshing and not self.host.full_sync_running and self.managed()
            ),
            self._emit_settings,
            self.host.give_way.on_user_input,
            scale,
        )
        self.top_bar = TopBar(lambda: self.panels.toggle_sidebar())
        self.seams = NativeSeams(
            self.managed,
            lambda: self.closing,
            lambda after: self.close.begin(self._after_close(after)),
            self.close.abandon,
            self._emit,
        )
        self.panels = Panels(
            self.bridge,
            self._remember_sidebar,
            self._on_page_loading,
            str(self.config["sidebarShortcut"]),
            lambda: self.store is not None,
        )
        # what the user was told in a tooltip this session, for support
        self.told: list[str] = []
        self.closing = False
        # the main window was asked to close: this close ends Anki, not just the profile
        self.quitting = False
        # the profile whose state is loaded, until it begins to close
        self.loaded_profile: str | None = None

    def setup(self) -> None:
        assert mw is not None
        # nothing is exported to Anki's web server: the pages are served to the add-on's own profile
        serve_pages(addon_profile(), ADDON_DIR / "web")
        gui_hooks.webview_did_receive_js_message.append(self.bridge.on_js_message)
        gui_hooks.collection_did_load.append(guarded(lambda _col: self.on_collection_loaded()))
        gui_hooks.profile_did_open.append(guarded(self.on_profile_open))
        gui_hooks.profile_will_close.append(guarded(self.on_profile_will_close))
        gui_hooks.dialog_manager_did_open_dialog.append(guarded(self.sensors.on_dialog_opened))
        gui_hooks.operation_did_execute.append(guarded(self.sensors.on_operation))
        self.top_bar.install()
        self.sensors.start()
        self._quit_watch = QuitWatch(self._on_quit)
        mw.installEventFilter(self._quit_watch)
        commands.register(self)
        self.panels.add_menu(__name__)
        self.seams.install()
        # started before any profile opens, so the page is up to decide the open sync at once
        self.panels.prepare_sidebar()

    # the profile

    def managed(self) -> bool:
        """Only profiles signed in through the add-on, and still signed in to that account and server, are ours.

        Anki asks synchronously (its sync seams), so this answer lives here.
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
        options = storage.options(self.config, self.store.data)
        return {
            "profile": mw.pm.name,
            "signedIn": self.managed(),
            "user": profile.get("syncUser") if self.managed() else None,
            "server": mw.pm.sync_endpoint() if self.managed() else None,
            "settings": settings.to_json(),
            "state": self.store.data.get("state"),
            "settingsVersion": self.store.data.get("settingsVersion", 1),
            "tuning": storage.tuning(options),
            "options": options,
        }

    def on_collection_loaded(self) -> None:
        """A profile is opening. Its state is loaded now: 24.06 asks for the open sync before `profile_did_open`."""
        assert mw is not None
        if self.loaded_profile == mw.pm.name and self.store is not None:
            return  # the same profile's collection again (an import replaced it): its state stays
        self.loaded_profile = mw.pm.name
        folder = places.profile_folder(Path(mw.pm.profileFolder()))
        places.move_old_state(self.old_user_files, mw.pm.name or "", folder)
        self.store = ProfileStore(folder)
        profile = mw.pm.profile if mw.pm.profile is not None else {}
        if recover_managed(profile, self.store):
            self.store.problem = self.store.problem or (
                "Flipnem Sync's saved state was missing; this profile is still signed in to Flipnem, so syncing goes on."
            )
            self._write_store()
        remember_managed(profile, self.store)
        self.closing = False
        self.quitting = False
        self.host.closed = False

    def on_profile_open(self) -> None:
        assert mw is not None
        if self.loaded_profile != mw.pm.name or self.store is None:
            self.on_collection_loaded()
        assert self.store is not None
        self.panels.place_sidebar(
            self.store.data.get("sidebarArea", "right"), self.store.data.get("sidebarVisible") is True
        )
        self._emit("profileOpened", self.session())
        log.info("profile opened (managed: %s)", self.managed())
        if self.managed():
            opened = self.journal.seq
            held = hold_until(lambda: self.journal.snapshot_seq >= opened or self.closing)
            log.info("the open sync was decided after %.0f ms", held * 1000)

    def _emit(self, name: str, data: dict[str, Any]) -> None:
        """The panel's events go to the pages as they are; the orchestrator's are kept for its page too."""
        if name in self.panel_events:
            self.bridge.emit(name, data)
        else:
            self.journal.record(name, data)

    @property
    def page_ready(self) -> bool:
        return self.journal.page_up

    def _on_page_loading(self) -> None:
        self.journal.page_gone()

    def handled(self, args: dict[str, Any], view: Any) -> dict[str, Any]:
        """The page's state after an event, and what it decided: kept, then carried out in order."""
        self.journal.keep(args["seq"], args["snapshot"])
        commands = args["commands"]
        problems = self.journal.carry_out(commands, lambda name, a: self.bridge.run(name, a, view))
        return {"done": len(commands), "problems": problems}

    def hello(self, args: dict[str, Any], view: Any) -> dict[str, Any]:
        reply: dict[str, Any] = {
            "version": self.version,
            "defaults": storage.defaults(self.config),
            "keyAccepted": self.store.data.get("keyAccepted") if self.store else None,
            "problems": list(self.config_problems)
            + ([self.store.problem] if self.store and self.store.problem else []),
            "busy": self.host.busy(),
            "preferencesOpen": preferences_open(),
            "missing": self.sensors.missing(),
        }
        if args["page"] == "sidebar":
            # the orchestrator lives in the sidebar page: it takes up where the last one was
            reply["restart"] = self.journal.hello()
            log.info("sidebar page ready (%d event(s) to replay)", len(reply["restart"]["events"]))
        elif self.store is not None and not self.closing:
            # the settings panel shows the open profile's account and settings
            reply["session"] = self.session()
        return reply

    def _on_quit(self) -> None:
        self.quitting = mw is not None and mw.state != "profileManager"

    def _after_close(self, after: Callable[[bool], None]) -> Callable[[bool], None]:
        def then(synced: bool) -> None:
            if self.quitting:
                # its work is done: its web process stops beside Anki's own unload, not after it
                run_guarded(self.panels.release_sidebar_page)
            after(synced)

        return then

    def on_profile_will_close(self) -> None:
        self.closing = True
        self.loaded_profile = None
        self.panels.close_settings()
        self.wakeups.cancel_all()

    def _remember_sidebar(self, visible: bool, area: str) -> None:
        if self.store is not None and not self.closing:
            self.store.data["sidebarVisible"] = visible
            self.store.data["sidebarArea"] = area

    def _record_close(self, last_close: dict[str, Any]) -> None:
        if self.store is not None:
            self.store.data["lastClose"] = last_close

    # settings and account

    def _defaults(self) -> dict[str, Any]:
        return storage.default_settings(self.config).to_json()

    def _emit_settings(self) -> None:
        if self.store is not None and not self.closing:
            self._emit("settingsChanged", {"settings": self.session()["settings"]})

    # state

    def _save_state(self, state: dict[str, Any]) -> dict[str, Any]:
        if self.store is None:
            return {"saved": False}
        self.store.data["state"] = state
        self._write_store()
        return {"saved": True}

    def _write_store(self, then: Callable[[], None] | None = None) -> None:
        self.writer.write(self.store, then)

    def _host_emit(self, name: str, data: dict[str, Any]) -> None:
        # what the host reports also teaches the settings panel whether the key still works
        if name == "collectionSyncFinished" and self.store is not None:
            if data.get("outcome") in ("ok", "fullSyncRequired"):
                self.store.data["keyAccepted"] = True
        self._emit(name, data)


instance: FlipnemSync | None = None


def start(began: float) -> None:
    """`began`: when Anki started importing the add-on (perf_counter), for the time it took."""
    global instance
    instance = FlipnemSync()
    instance.setup()
    log.info("Flipnem Sync %s loaded in %.0f ms", instance.version, (time.perf_counter() - began) * 1000)
