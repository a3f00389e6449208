"""The page's commands, each handed to the part of the add-on that carries it out."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aqt import mw
from aqt.utils import openFolder, tooltip

from . import rich_text, storage, words
from .protocol import ProtocolError
from .shortcut import normal, shortcut_problem

if TYPE_CHECKING:
    from .main import FlipnemSync

log = logging.getLogger("flipnem_sync")


def register(p: FlipnemSync) -> None:
    b, host = p.bridge, p.host
    b.handle("hello", p.hello)
    b.handle("ping", lambda args, view: {"pong": True, "at": time.time()})
    b.handle(
        "syncCollection",
        lambda args, view: host.sync_collection(
            args["trigger"],
            args["media"],
            args["showProgress"],
            args["showServerMessage"],
            args["abortOnInput"],
            args.get("timeoutSecs"),
            args["probe"],
            args.get("inputGraceMs"),
        ),
    )
    b.handle("watchInput", lambda args, view: p.sensors.watch_input(args["quietMs"], args["returnMs"]))
    b.handle("notify", lambda args, view: notify(p.told, words.TOLD[args["about"]]))
    b.handle(
        "setTopBar", lambda args, view: p.top_bar.show(args["text"], args["tip"], args["tone"], args.get("short", ""))
    )
    b.handle("nextDay", lambda args, view: next_day())
    b.handle("syncMedia", lambda args, view: host.sync_media())
    b.handle("abortMedia", lambda args, view: host.abort())
    b.handle("abortCollection", lambda args, view: host.give_way.for_close())
    b.handle("continueClose", lambda args, view: p.close.continue_close(args["reason"]))
    b.handle("setWakeup", lambda args, view: p.wakeups.set(args["timer"], args["delayMs"]))
    b.handle("cancelWakeup", lambda args, view: p.wakeups.cancel(args["timer"]))
    b.handle("chooseFullSync", lambda args, view: host.choose_full_sync(p.seams.release_button_waiters))
    b.handle("forgetKey", lambda args, view: p.account.forget_key())
    b.handle("revealSidebar", lambda args, view: p.panels.show_sidebar())
    b.handle("saveState", lambda args, view: p._save_state(args["state"]))
    b.handle("openSettings", lambda args, view: p.panels.open_settings())
    b.handle("closeSettings", lambda args, view: p.panels.close_settings())
    b.handle("signIn", lambda args, view: p.account.sign_in(args["server"], args["username"], args["password"]))
    b.handle("signOut", lambda args, view: p.account.sign_out())
    b.handle("testConnection", lambda args, view: p.account.test_connection(args.get("server")))
    b.handle("toggleSidebar", lambda args, view: p.panels.toggle_sidebar())
    b.handle("focusAnki", lambda args, view: p.panels.focus_anki())
    b.handle("showDataFolder", lambda args, view: show_data_folder(p.data_folder))
    b.handle("saveSettings", lambda args, view: save_settings(p, args["settings"]))
    b.handle("saveOption", lambda args, view: save_option(p, args["key"], args["value"]))
    b.handle("resetOption", lambda args, view: save_option(p, args["key"], None))
    b.handle("handled", p.handled)


def next_day() -> dict[str, Any]:
    """When Anki's next day begins (its rollover hour), for a pause until tomorrow."""
    assert mw is not None
    if not mw.col:
        raise ProtocolError("notOpen", "no profile is open")
    return {"at": mw.col.sched.day_cutoff * 1000}


def notify(told: list[str], text: str) -> dict[str, Any]:
    assert mw is not None
    # Anki's tooltip is rich text: a page's words are shown, never read as markup
    tooltip(rich_text.escape(text), period=8000, parent=mw)
    told.append(text)
    log.info("told the user: %s", text)
    return {"shown": True}


def show_data_folder(folder: Path) -> dict[str, bool]:
    """The folder with the add-on's log, as Anki's own View Files opens the add-on's folder."""
    folder.mkdir(parents=True, exist_ok=True)
    openFolder(str(folder))
    return {"shown": True}


def save_settings(p: FlipnemSync, data: dict[str, Any]) -> dict[str, Any]:
    """Applies at once; the three seed switches go to Anki's own keys, so Preferences agrees."""
    assert mw is not None
    if p.store is None or mw.pm.profile is None:
        raise ProtocolError("notOpen", "no profile is open")
    settings, problem = storage.validate_settings(data)
    if settings is None:
        raise ProtocolError("badSettings", problem or "invalid settings")
    storage.apply_settings(settings, mw.pm.profile, p.store.data)
    p.store.data["settingsVersion"] = storage.SETTINGS_VERSION
    if p.managed():
        # chosen while signed in: a later first connection no longer brings the defaults
        p.store.data["settingsApplied"] = True
    mw.pm.save()
    p._write_store()
    p._emit_settings()
    return {"settings": settings.to_json()}


def save_option(p: FlipnemSync, key: str, value: Any) -> dict[str, Any]:
    """One option of the panel's "More", checked, written where it lives, and in effect at once.

    `value` None puts it back to its default.
    """
    assert mw is not None
    if p.store is None or mw.pm.profile is None:
        raise ProtocolError("notOpen", "no profile is open")
    if value is not None:
        if key == "sidebarShortcut":
            problem = shortcut_problem(value, p.panels.taken_keys())
            value = value if problem else normal(value)
        else:
            problem = storage.check_value(key, value)
        if problem:
            raise ProtocolError("badOption", problem)
    written = storage.set_option(key, value, p.store.data, storage.user_config(mw.addonManager, __name__))
    if written is None:
        p._write_store()
    else:
        storage.write_user_config(mw.addonManager, __name__, written)
        p.config, p.config_problems = storage.clean_config(written)
    # in effect in this session at once: the close's bounds, the shortcut, the page's timings
    values = storage.options(p.config, p.store.data)
    p.close.bound_seconds = int(values["closeBoundSeconds"])
    p.close.total_seconds = int(values["closeTotalSeconds"])
    p.panels.set_shortcut(str(values["sidebarShortcut"]))
    p._emit("optionsChanged", {"options": values})
    return {"options": values}
