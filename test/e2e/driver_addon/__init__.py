"""Test-only driver, installed beside Flipnem Sync in end-to-end runs and never shipped.

Serves a loopback-only JSON channel so tests can see and do what a browser driver
cannot: Qt windows, menus, native dialogs, Preferences, the profile's keys, and how
often Anki's own sync paths ran.
"""

from __future__ import annotations

import json
import os
import threading
import time
import traceback
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anki.collection
import aqt
import aqt.main
import aqt.mediasync
from aqt import gui_hooks, mw
from aqt.qt import (
    QApplication,
    QDialog,
    QDockWidget,
    QEvent,
    QKeySequence,
    QLabel,
    QMessageBox,
    QPushButton,
    Qt,
    QTextEdit,
    QTimer,
    QVBoxLayout,
    QWidget,
)

COUNTS = {
    "nativeCollectionSync": 0,
    "nativeMediaStart": 0,
    "nativePeriodicMedia": 0,
    "colSyncCollection": 0,
    # what other add-ons see of a sync, and Anki's refresh after one
    "syncWillStart": 0,
    "syncDidFinish": 0,
    "reset": 0,
}
_col_sync_collection = anki.collection.Collection.sync_collection


def _counted_col_sync_collection(self: Any, *args: Any, **kwargs: Any) -> Any:
    # every collection sync, whoever starts it
    COUNTS["colSyncCollection"] += 1
    return _col_sync_collection(self, *args, **kwargs)


anki.collection.Collection.sync_collection = _counted_col_sync_collection  # type: ignore[method-assign]
_native_sync_collection = aqt.main.sync_collection
_native_media_start = aqt.mediasync.MediaSyncer.start


def _counted_sync_collection(*args: Any, **kwargs: Any) -> Any:
    COUNTS["nativeCollectionSync"] += 1
    return _native_sync_collection(*args, **kwargs)


def _counted_media_start(self: Any, is_periodic_sync: bool = False) -> Any:
    COUNTS["nativeMediaStart"] += 1
    if is_periodic_sync:
        COUNTS["nativePeriodicMedia"] += 1
    return _native_media_start(self, is_periodic_sync)


# loaded before the product (folder name sorts first), so its captured methods are these
aqt.main.sync_collection = _counted_sync_collection  # type: ignore[assignment]
aqt.mediasync.MediaSyncer.start = _counted_media_start  # type: ignore[method-assign]


def _windows() -> list[dict[str, Any]]:
    out = []
    for w in QApplication.topLevelWidgets():
        if not w.isVisible():
            continue
        text = ""
        if isinstance(w, QMessageBox):
            text = w.text()
        elif isinstance(w, QLabel):
            # Anki's tooltip is a label of its own
            text = w.text()
        else:
            labels = w.findChildren(QLabel)
            text = " ".join(label.text() for label in labels[:5])
            # Anki's own text windows (showText) hold theirs in a text browser
            text += " ".join(box.toPlainText() for box in w.findChildren(QTextEdit)[:2])
        out.append(
            {
                "class": type(w).__name__,
                "title": w.windowTitle(),
                "text": text[:500],
                "modal": w.isModal(),
                "main": w is mw,
                # Anki's tooltip: shown for a few seconds, takes no focus, asks nothing
                "tooltip": w.windowType() == Qt.WindowType.ToolTip,
            }
        )
    return out


def _positive_control(title: str) -> dict[str, Any]:
    d = QDialog(mw)
    d.setWindowTitle(title)
    layout = QVBoxLayout(d)
    layout.addWidget(QLabel("driver positive control"))
    d.show()
    return {"shown": True}


def _close_window(title: str) -> dict[str, Any]:
    closed = 0
    for w in QApplication.topLevelWidgets():
        if w.isVisible() and w.windowTitle() == title and w is not mw:
            w.close()
            closed += 1
    return {"closed": closed}


def _click_button(text: str) -> dict[str, Any]:
    for w in QApplication.topLevelWidgets():
        if not w.isVisible() or w is mw:
            continue
        for button in w.findChildren(QPushButton):
            if button.text().replace("&", "") == text and button.isVisible():
                button.click()
                return {"clicked": True, "window": w.windowTitle()}
    return {"clicked": False}


def _menu_action(text: str) -> dict[str, Any]:
    for action in mw.form.menuTools.actions() + mw.form.menuHelp.actions():
        if action.text().replace("&", "") == text:
            action.trigger()
            return {"triggered": True}
    return {"triggered": False}


PROFILE_KEYS = (
    "autoSync",
    "syncMedia",
    "autoSyncMediaMinutes",
    "syncUser",
    "customSyncUrl",
    "currentSyncUrl",
    "hostNum",
)


def _profile() -> dict[str, Any]:
    p = mw.pm.profile or {}
    out = {k: p.get(k) for k in PROFILE_KEYS}
    out["hasKey"] = bool(p.get("syncKey"))  # the key itself never leaves Anki
    out["name"] = mw.pm.name
    return out


def _set_profile(values: dict[str, Any]) -> dict[str, Any]:
    for k, v in values.items():
        if k not in PROFILE_KEYS:
            raise ValueError(f"not a settable key: {k}")
        mw.pm.profile[k] = v
    mw.pm.save()
    return _profile()


def _sidebar() -> QDockWidget | None:
    for d in mw.findChildren(QDockWidget):
        if d.objectName() == "flipnemSyncSidebar":
            return d
    return None


def _dock() -> dict[str, Any]:
    d = _sidebar()
    if d is None:
        return {"exists": False, "visible": False}
    left = mw.dockWidgetArea(d) == Qt.DockWidgetArea.LeftDockWidgetArea
    return {"exists": True, "visible": d.isVisible(), "width": d.width(), "area": "left" if left else "right"}


def _move_dock(area: str) -> dict[str, Any]:
    d = _sidebar()
    if d is not None:
        side = Qt.DockWidgetArea.LeftDockWidgetArea if area == "left" else Qt.DockWidgetArea.RightDockWidgetArea
        mw.addDockWidget(side, d)
    return _dock()


def _resize_dock(width: int) -> dict[str, Any]:
    d = _sidebar()
    if d is not None:
        d.setMinimumWidth(width)
        mw.resizeDocks([d], [width], Qt.Orientation.Horizontal)
    return _dock()


def _shortcut(keys: str) -> dict[str, Any]:
    from PyQt6.QtTest import QTest

    # a user types once Anki's window is theirs again: after a progress window has gone, and
    # with the main window active (Anki's shortcuts act only in the active window)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and (
        QApplication.activeModalWidget() is not None or not _activate_main()["active"]
    ):
        QTest.qWait(50)
    # keys go where a user's keys go: the widget with focus (often a webview)
    target = QApplication.focusWidget() or mw
    QTest.keySequence(target, QKeySequence(keys))
    return {**_dock(), "target": type(target).__name__, "active": type(QApplication.activeWindow()).__name__}


def _focus() -> dict[str, Any]:
    """Where a key would go now: the focused widget, and whether it is in the sidebar or Anki's main web view."""
    widget = QApplication.focusWidget()
    dock = _sidebar()
    web = mw.web
    return {
        "widget": type(widget).__name__ if widget is not None else None,
        "inSidebar": bool(widget is not None and dock is not None and dock.isAncestorOf(widget)),
        "inAnki": bool(widget is not None and web is not None and (widget is web or web.isAncestorOf(widget))),
        "active": type(QApplication.activeWindow()).__name__ if QApplication.activeWindow() else None,
    }


def _activate(title: str) -> dict[str, Any]:
    """What a window manager does for a window that just opened: it becomes the one the keys go to."""
    from PyQt6.QtTest import QTest

    for window in QApplication.topLevelWidgets():
        if window.isVisible() and window.windowTitle() == title:
            window.activateWindow()
            return {"active": QTest.qWaitForWindowActive(window, 3000)}
    return {"active": False}


def _emit_to_pages(event: str, data: dict[str, Any]) -> dict[str, Any]:
    """An event from Python to the add-on's pages, as the add-on sends it (a state no server here can reach)."""
    _product().bridge.emit(event, data)
    return {"sent": True}


def _activate_main() -> dict[str, Any]:
    """What a window manager does when a dialog closes: Anki's main window is active again.
    Without a window manager nothing activates the window a user would be typing in."""
    from PyQt6.QtTest import QTest

    mw.activateWindow()
    if QApplication.activeWindow() is None:
        QTest.qWaitForWindowActive(mw, 2000)
    return {"active": QApplication.activeWindow() is mw}


def _set_theme(dark: bool) -> dict[str, Any]:
    from aqt.theme import Theme

    mw.set_theme(Theme.DARK if dark else Theme.LIGHT)
    return {"dark": dark}


def _set_dock(visible: bool) -> dict[str, Any]:
    for d in mw.findChildren(QDockWidget):
        if d.objectName() == "flipnemSyncSidebar":
            d.setVisible(visible)
    return _dock()


def _addons() -> list[dict[str, Any]]:
    return [
        {"dir": m.dir_name, "name": m.human_name(), "enabled": m.enabled, "version": m.human_version}
        for m in mw.addonManager.all_addon_meta()
    ]


def _install(path: str) -> dict[str, Any]:
    result = mw.addonManager.install(path)
    return {
        "type": type(result).__name__,
        "name": getattr(result, "name", None),
        "error": getattr(result, "errmsg", None),
    }


def _set_enabled(folder: str, enabled: bool) -> dict[str, Any]:
    mw.addonManager.toggleEnabled(folder, enable=enabled)
    return {"addons": _addons()}


def _addon_config_button(folder: str) -> dict[str, Any]:
    """Tools > Add-ons, select the add-on, press Config, as a user would."""
    dlg = aqt.dialogs.open("AddonsDialog", mw.addonManager)
    for row, meta in enumerate(dlg.addons):
        if meta.dir_name == folder:
            dlg.form.addonList.setCurrentRow(row)
            break
    else:
        return {"clicked": False}
    dlg.form.config.click()
    dlg.close()
    return {"clicked": True}


def _switch_profile(name: str) -> dict[str, Any]:
    """File > Switch Profile, then open `name` in the profile window: a close followed by an open."""

    # Anki's own single_shot skips callbacks while no collection is open, so plain Qt timers
    def open_when_ready() -> None:
        if mw.state != "profileManager":
            QTimer.singleShot(100, open_when_ready)
            return
        profiles = mw.pm.profiles()
        mw.profileForm.profiles.setCurrentRow(profiles.index(name))
        mw.onOpenProfile()

    mw.unloadProfileAndShowProfileManager()
    QTimer.singleShot(100, open_when_ready)
    return {"switching": True}


def _native_periodic_tick() -> dict[str, Any]:
    """Fires Anki's own 5-minute media timer now, with the interval long passed."""
    mw.media_syncer._last_progress_at = 0
    mw.on_periodic_sync_timer()
    return dict(COUNTS)


def _product() -> Any:
    """The add-on's running instance, or None before it loaded."""
    import sys

    return getattr(sys.modules.get("flipnem_sync.main"), "instance", None)


def _fire_wakeup(name: str) -> dict[str, Any]:
    """Lets one of the add-on's armed timers fire now, as if its time had come."""
    inst = _product()
    timer = inst.wakeups.timers.get(name) if inst is not None else None
    if timer is None:
        return {"fired": False}
    timer.start(0)
    return {"fired": True}


def _render_pids() -> dict[str, int]:
    """Which web process draws which of Anki's pages (for the bench's memory per page)."""
    pages = {"main": mw.web, "toolbar": mw.toolbar.web, "bottom": mw.bottomWeb}
    inst = _product()
    if inst is not None and inst.panels.dock is not None:
        pages["sidebar"] = inst.panels.dock.web
    return {name: int(web.page().renderProcessPid()) for name, web in pages.items()}


def _network(online: bool) -> dict[str, Any]:
    """What Qt's network information reports when the connection goes or comes back."""
    from PyQt6.QtNetwork import QNetworkInformation

    info = QNetworkInformation.instance()
    if info is None:
        raise RuntimeError("no network information backend in this Anki")
    reach = QNetworkInformation.Reachability
    # through Qt's own signal, so the add-on's subscription to it is what is tested
    info.reachabilityChanged.emit(reach.Online if online else reach.Disconnected)
    return {"online": online, "backend": info.backendName()}


def _add_note(front: str, back: str) -> dict[str, Any]:
    col = mw.col
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = front, back
    col.add_note(note, col.decks.id_for_name("Default") or 1)
    mw.reset()
    return {"noteId": note.id}


def _add_note_as_user(front: str, back: str) -> dict[str, Any]:
    """Adds a note through Anki's operations, as the Add window does (hooks fire)."""
    from aqt.operations.note import add_note

    col = mw.col
    note = col.new_note(col.models.by_name("Basic"))
    note["Front"], note["Back"] = front, back
    add_note(parent=mw, note=note, target_deck_id=col.decks.id_for_name("Default") or 1).run_in_background()
    return {"queued": True}


def _add_media(name: str, data_hex: str) -> dict[str, Any]:
    stored = mw.col.media.write_data(name, bytes.fromhex(data_hex))
    return {"name": stored}


def _add_media_files(prefix: str, count: int, size: int) -> dict[str, Any]:
    """`count` files of `size` random bytes each, as if pasted into notes (media sync sends the folder)."""
    names = [mw.col.media.write_data(f"{prefix}{i}.bin", os.urandom(size)) for i in range(count)]
    return {"names": names}


def _inventory() -> dict[str, Any]:
    """Everything a sync must carry, as this Anki holds it (copied in beside this file at seed time)."""
    from .inventory import inventory

    return inventory(mw.col)


# Anki's main thread, as a user feels it: the longest gap between 10 ms ticks since last asked
_STALL = {"last": 0.0, "max": 0.0}


def _start_heartbeat(every_ms: int = 10) -> None:
    """Ticks on Anki's main thread: the longest gap is what `stall` reports (with 10 ms ticks, what a
    user feels), and a gap of 2 s has the main thread's stack printed."""
    from aqt.qt import QTimer

    def tick() -> None:
        now = time.monotonic()
        if _STALL["last"]:
            _STALL["max"] = max(_STALL["max"], now - _STALL["last"])
        _STALL["last"] = now

    timer = QTimer(mw)
    timer.timeout.connect(tick)
    timer.start(every_ms)
    _STALL["timer"] = timer  # type: ignore[assignment]
    _start_watch()


def _start_watch() -> None:
    app = QApplication.instance()
    if app is not None:
        # once Qt's loop has ended nothing ticks: Python's own exit is not a stall
        app.aboutToQuit.connect(lambda: _STALL.update(quitting=1.0))
    threading.Thread(target=_watch_main_thread, args=(threading.get_ident(),), daemon=True).start()


def _watch_main_thread(main_ident: int) -> None:
    """When the main thread stops ticking for 2 s, prints where it is (kept with a failed test's evidence)."""
    import sys

    told = 0.0
    while not _STALL.get("quitting"):
        time.sleep(0.25)
        last = _STALL["last"]
        if not last or last == told or time.monotonic() - last < 2:
            continue
        told = last
        frame = sys._current_frames().get(main_ident)
        where = "".join(traceback.format_stack(frame)[-25:]) if frame is not None else "(gone)\n"
        print(f"main thread stalled for 2 s, at:\n{where}main thread stall end", flush=True)


def _stall() -> dict[str, Any]:
    longest, _STALL["max"] = _STALL["max"], 0.0
    return {"longestMs": round(longest * 1000)}


def _break_flipnem_copy() -> dict[str, Any]:
    """Flipnem's copy before an upload cannot be made (as with a full disk)."""
    import sys

    def fail(*_args: Any) -> Any:
        raise OSError("the backups folder cannot be written")

    sys.modules["flipnem_sync.flipnem_copy"].save_flipnem_copy = fail
    return {"broken": True}


def _anki_backups() -> dict[str, Any]:
    """Anki's own backups, as Open Backup lists them (its file filter), and the add-on's copies beside them."""
    folder = mw.pm.backupFolder()
    names = sorted(os.listdir(folder)) if os.path.isdir(folder) else []
    return {"anki": [n for n in names if n.endswith(".colpkg")], "all": names}


def _create_backup() -> dict[str, Any]:
    """Anki's own backup now (File > Create Backup), which also thins Anki's older backups."""
    mw.create_backup_now()
    return _anki_backups()


def _answer_card(ease: int) -> dict[str, Any]:
    col = mw.col
    card = col.sched.getCard()
    if card is None:
        return {"answered": False}
    card.start_timer()
    col.sched.answerCard(card, ease)
    mw.reset()
    return {"answered": True, "cardId": card.id}


def _metered(metered: bool) -> dict[str, Any]:
    """What Qt's network information reports when the connection becomes metered or not."""
    from PyQt6.QtNetwork import QNetworkInformation

    info = QNetworkInformation.instance()
    if info is None:
        raise RuntimeError("no network information backend in this Anki")
    info.isMeteredChanged.emit(metered)
    return {"metered": metered}


def _user_input() -> dict[str, Any]:
    """A key press as Qt delivers one (through the application's event filters), of a key that does nothing."""
    from PyQt6.QtGui import QKeyEvent

    QApplication.sendEvent(mw, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier))
    return {"sent": True}


def _answer_shown(ease: int) -> dict[str, Any]:
    """The user answers the card the reviewer shows: the answer needs the collection, as Anki's buttons do."""
    if mw.state != "review" or mw.reviewer.card is None:
        return {"answered": False, "state": mw.state}
    card = mw.reviewer.card
    # written at once (Anki's answer op would finish after the driver's next step, on a screen that has moved on)
    card.start_timer()
    mw.col.sched.answerCard(card, ease)
    mw.reset()
    return {"answered": True, "cardId": card.id}


def _versions() -> dict[str, Any]:
    """The Anki, Qt and Python this Anki runs on, as it reports them."""
    import sys

    from aqt import appVersion
    from aqt.qt import PYQT_VERSION_STR, qVersion

    return {"anki": appVersion, "qt": qVersion(), "pyqt": PYQT_VERSION_STR, "python": sys.version.split()[0]}


def _study() -> dict[str, Any]:
    """As a user gets to the reviewer: the default deck's overview, then Study Now."""
    _overview()
    QTimer.singleShot(300, lambda: mw.moveToState("review"))
    return {"studying": True}


def _input_cost(count: int, repeats: int = 5) -> dict[str, Any]:
    """Bench: microseconds Anki's event dispatch spends on one key press and one pointer move,
    application event filters included, the fastest of a few runs of `count` each. The target is
    a widget never shown, so no handler of Anki's runs."""
    import time

    from PyQt6.QtCore import QPointF
    from PyQt6.QtGui import QKeyEvent, QMouseEvent

    _activate_main()
    target = QWidget()
    at = QPointF(5, 5)
    events = {
        "keyUs": QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, Qt.KeyboardModifier.NoModifier),
        "pointerUs": QMouseEvent(
            QEvent.Type.MouseMove,
            at,
            at,
            Qt.MouseButton.NoButton,
            Qt.MouseButton.NoButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    }
    out: dict[str, Any] = {"active": QApplication.applicationState() == Qt.ApplicationState.ApplicationActive}
    for name, event in events.items():
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            for _ in range(count):
                QApplication.sendEvent(target, event)
            best = min(best, time.perf_counter() - started)
        out[name] = best / count * 1e6
    target.deleteLater()
    return out


def _overview() -> dict[str, Any]:
    """The default deck's overview, where Study Now is."""
    mw.col.decks.select(1)
    mw.moveToState("overview")
    return {"state": "overview"}


def _find_notes(query: str) -> dict[str, Any]:
    return {"count": len(mw.col.find_notes(query))}


def _card_reviews() -> dict[str, Any]:
    return {"count": mw.col.db.scalar("select count() from revlog")}


def _prefs_set(values: dict[str, bool]) -> dict[str, Any]:
    """Opens Tools > Preferences, sets the Syncing checkboxes, and closes it as a user would."""
    mw.onPrefs()
    prefs = aqt.dialogs._dialogs["Preferences"][1]
    form = prefs.form
    boxes = {"autoSync": form.syncOnProgramOpen, "syncMedia": form.syncMedia, "periodicMedia": form.autoSyncMedia}
    seen = {k: box.isChecked() for k, box in boxes.items()}
    for k, v in values.items():
        boxes[k].setChecked(v)
    prefs.accept()
    return {"before": seen}


def _prefs_read() -> dict[str, Any]:
    mw.onPrefs()
    prefs = aqt.dialogs._dialogs["Preferences"][1]
    form = prefs.form
    seen = {
        "autoSync": form.syncOnProgramOpen.isChecked(),
        "syncMedia": form.syncMedia.isChecked(),
        "periodicMedia": form.autoSyncMedia.isChecked(),
    }
    prefs.reject()
    return seen


_HELD: dict[str, Any] = {}


def _next_reply(server_message: str = "", new_endpoint: str = "") -> dict[str, Any]:
    """The next collection sync's real reply also carries what AnkiWeb may send and the official server never does:
    a message (before maintenance) or a new endpoint (a redirect)."""
    col = mw.col
    real = col.sync_collection

    def once(auth: Any, sync_media: bool) -> Any:
        col.sync_collection = real  # type: ignore[method-assign]
        out = real(auth, sync_media)
        if server_message:
            out.server_message = server_message
        if new_endpoint:
            out.new_endpoint = new_endpoint
        return out

    col.sync_collection = once  # type: ignore[method-assign]
    return {"armed": True}


def _hold_store_writes(seconds: float) -> dict[str, Any]:
    """A disk that stalls: the add-on's state writes wait `seconds` for their lock."""
    inst = _product()
    lock = inst.writer.lock
    lock.acquire()
    threading.Timer(seconds, lock.release).start()
    return {"held": seconds}


# the sidebar hellos refused while held: a test knows the held page is up, not still loading
_HELLOS_HELD = [0]


def _hold_sidebar(hold: bool) -> dict[str, Any]:
    """Reloads the sidebar page; while held, its hello is refused, as a page still loading would not have sent it."""
    _hold_hellos(hold)
    _product().panels.dock.web.reload()
    return {"held": hold}


def _hold_hellos(hold: bool) -> None:
    inst = _product()
    handlers = inst.bridge._handlers
    if hold and "hello" not in _HELD:
        original = _HELD["hello"] = handlers["hello"]

        def held(args: dict[str, Any], view: Any) -> Any:
            if args.get("page") == "sidebar":
                _HELLOS_HELD[0] += 1
                raise RuntimeError("held by the test driver")
            return original(args, view)

        handlers["hello"] = held
    elif not hold and "hello" in _HELD:
        handlers["hello"] = _HELD.pop("hello")


def _sidebar_counts() -> dict[str, Any]:
    import sys

    product = sys.modules.get("flipnem_sync.main")
    inst = getattr(product, "instance", None)
    if inst is None:
        return {"loaded": False}
    return {
        "loaded": True,
        "refused": inst.bridge.refused,
        "pageReady": inst.page_ready,
        # the queued collection sync in the snapshot Python holds for a page started again
        "journal": {
            "seq": inst.journal.seq,
            "snapshotSeq": inst.journal.snapshot_seq,
            "kept": [e["event"] for e in inst.journal.events],
        },
        "handedQueue": ((inst.journal.snapshot or {}).get("session") or {}).get("owed", {}).get("collection"),
        "hellosHeld": _HELLOS_HELD[0],
        "collectionRunning": inst.host.collection_running,
        "trigger": _TRIGGERS[-1] if _TRIGGERS and inst.host.collection_running else None,
        "mediaRunning": inst.host.media_running,
        "activity": list(inst.sensors.reported) if inst.sensors.reported else None,
        "topBar": inst.top_bar.text,
        "told": list(inst.told),
        "wakeups": sorted(inst.wakeups.timers),
    }


def _show_card(notetype: str, qfmt: str, media: dict[str, str] | None = None) -> dict[str, Any]:
    """A note of a new note type in a deck of its own, shown in the reviewer: card JavaScript runs as a shared deck's would."""
    col = mw.col
    models = col.models
    model = models.new(notetype)
    models.add_field(model, models.new_field("Front"))
    template = models.new_template("Card 1")
    template["qfmt"] = "{{Front}}" + qfmt
    template["afmt"] = "{{FrontSide}}"
    models.add_template(model, template)
    models.add(model)
    for name, text in (media or {}).items():
        col.media.write_data(name, text.encode("utf-8"))
    deck = col.decks.id(f"{notetype} deck")
    note = col.new_note(models.by_name(notetype))
    note["Front"] = notetype
    col.add_note(note, deck)
    col.decks.select(deck)
    # as a user gets there: the deck's overview, then Study Now
    mw.moveToState("overview")
    QTimer.singleShot(300, lambda: mw.moveToState("review"))
    return {"deck": deck}


def _review_again() -> dict[str, Any]:
    """Leaves the reviewer and enters it again, which loads its pages afresh."""
    mw.moveToState("overview")
    QTimer.singleShot(1000, lambda: mw.moveToState("review"))
    return {"state": mw.state}


def _same(a: Any, b: Any) -> bool:
    from PyQt6 import sip

    return a is not None and b is not None and sip.unwrapinstance(a) == sip.unwrapinstance(b)


def _view_profiles() -> dict[str, Any]:
    """Which browser profile each page uses, against every profile Anki itself made."""
    import sys

    from aqt import webview
    from aqt.qt import QWebEngineProfile

    inst = sys.modules["flipnem_sync.main"].instance
    if getattr(webview, "_profile_with_api_access", "absent") is None:
        # Anki makes its API profile with its first editor or deck options: make it now, so it is compared too
        probe = webview.AnkiWebPage(lambda _cmd: None, webview.AnkiWebViewKind.EDITOR)
        probe.deleteLater()
    ankis = {
        "default": QWebEngineProfile.defaultProfile(),
        "withApi": getattr(webview, "_profile_with_api_access", None),
        "withoutApi": getattr(webview, "_profile_without_api_access", None),
    }
    views = [("reviewer", mw.web)]
    if inst.panels.dock is not None:
        views.append(("sidebar", inst.panels.dock.web))
    if inst.panels.settings_dialog is not None:
        views.append(("settings", inst.panels.settings_dialog.web))
    out = []
    for name, view in views:
        profile = view.page().profile()
        out.append(
            {
                "view": name,
                "sharesWith": [k for k, p in ankis.items() if _same(profile, p)],
                "sameAsReviewer": _same(profile, mw.web.page().profile()),
                "offTheRecord": profile.isOffTheRecord(),
            }
        )
    return {"views": out, "ankiProfiles": sorted(k for k, p in ankis.items() if p is not None)}


def _reload_sidebar() -> dict[str, Any]:
    import sys

    sys.modules["flipnem_sync.main"].instance.panels.dock.web.reload()
    return {"reloading": True}


OPS: dict[str, Callable[..., Any]] = {
    "windows": _windows,
    "positiveControl": _positive_control,
    "closeWindow": _close_window,
    "clickButton": _click_button,
    "menuAction": _menu_action,
    "profile": _profile,
    "setProfile": _set_profile,
    "counts": lambda: dict(COUNTS),
    "dock": _dock,
    "setDock": _set_dock,
    "moveDock": _move_dock,
    "resizeDock": _resize_dock,
    "shortcut": _shortcut,
    "focus": _focus,
    "activate": _activate,
    "emitToPages": _emit_to_pages,
    "setTheme": _set_theme,
    "addons": _addons,
    "install": _install,
    "setEnabled": _set_enabled,
    "addonConfigButton": _addon_config_button,
    "activateMain": _activate_main,
    "pressSync": lambda: mw.on_sync_button_clicked() or {"pressed": True},
    "state": lambda: {"state": mw.state, "hasCol": mw.col is not None, "profileOpen": _PROFILE["open"]},
    "versions": _versions,
    "addNote": _add_note,
    "network": _network,
    "metered": _metered,
    "userInput": _user_input,
    "answerShown": _answer_shown,
    "study": _study,
    "resizeMain": lambda width, height: mw.resize(width, height) or {"width": mw.width(), "height": mw.height()},
    "deckBrowser": lambda: mw.moveToState("deckBrowser") or {"state": "deckBrowser"},
    "overview": _overview,
    "inputCost": _input_cost,
    "mainWindow": lambda: {"id": int(mw.winId())},
    "shownCard": lambda: {"state": mw.state, "cardId": mw.reviewer.card.id if mw.reviewer.card else None},
    "nativePeriodicTick": _native_periodic_tick,
    "switchProfile": _switch_profile,
    "addNoteAsUser": _add_note_as_user,
    "addMedia": _add_media,
    "answerCard": _answer_card,
    "addMediaFiles": _add_media_files,
    "breakFlipnemCopy": _break_flipnem_copy,
    "createBackup": _create_backup,
    "inventory": _inventory,
    "stall": _stall,
    "fireWakeup": _fire_wakeup,
    "renderPids": _render_pids,
    "findNotes": _find_notes,
    "reviews": _card_reviews,
    "prefsSet": _prefs_set,
    "prefsRead": _prefs_read,
    "product": _sidebar_counts,
    "holdSidebar": _hold_sidebar,
    "holdStoreWrites": _hold_store_writes,
    "nextReply": _next_reply,
    "showCard": _show_card,
    "reviewAgain": _review_again,
    "viewProfiles": _view_profiles,
    "reloadSidebar": _reload_sidebar,
    "close": lambda: mw.close() or {"closing": True},
}


def _on_main(fn: Callable[[], Any], timeout: float = 30) -> Any:
    done = threading.Event()
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = fn()
        except Exception as err:  # noqa: BLE001 - reported to the test
            box["error"] = f"{type(err).__name__}: {err}\n{traceback.format_exc()}"
        done.set()

    mw.taskman.run_on_main(run)
    if not done.wait(timeout):
        return {"error": "timed out on the main thread"}
    return box


class Handler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        body = json.loads(self.rfile.read(length) or b"{}")
        op = OPS.get(body.get("op", ""))
        if op is None:
            result: Any = {"error": f"unknown op {body.get('op')}"}
        else:
            args = body.get("args", {})
            result = _on_main(lambda: op(**args))
        data = json.dumps(result).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def _serve() -> None:
    port = int(os.environ.get("FLIPNEM_DRIVER_PORT", "0"))
    if not port:
        return
    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()


def _without_network_information() -> None:
    """A system where Qt has no network information backend (as Qt 6.6 without NetworkManager and GLib)."""
    from PyQt6.QtNetwork import QNetworkInformation

    QNetworkInformation.loadDefaultBackend = staticmethod(lambda: False)  # type: ignore[method-assign]
    QNetworkInformation.loadBackendByFeatures = staticmethod(lambda _features: False)  # type: ignore[method-assign]


def _no_update_check() -> None:
    """A test never asks for a new Anki: 24.06 asks whatever the profile says, and could show a window."""
    import aqt.update

    aqt.update.check_for_update = lambda: None


_no_update_check()
# Anki's readiness route answers once the collection is open, before profile_did_open has run
_PROFILE = {"open": False}
# the trigger of each collection sync the add-on starts, as the page named it
_TRIGGERS: list[str] = []


def _watch_triggers() -> None:
    host = getattr(_product(), "host", None)
    if host is None or getattr(host, "_driver_watched", False):
        return
    start = host.sync_collection

    def sync_collection(trigger: str, *args: Any, **kwargs: Any) -> Any:
        _TRIGGERS.append(trigger)
        return start(trigger, *args, **kwargs)

    host.sync_collection = sync_collection
    host._driver_watched = True


gui_hooks.profile_did_open.append(lambda: QTimer.singleShot(0, lambda: _PROFILE.update(open=True)))
gui_hooks.main_window_did_init.append(_watch_triggers)
gui_hooks.profile_did_open.append(_watch_triggers)
gui_hooks.profile_will_close.append(lambda: _PROFILE.update(open=False))
gui_hooks.sync_will_start.append(lambda: COUNTS.update(syncWillStart=COUNTS["syncWillStart"] + 1))
gui_hooks.sync_did_finish.append(lambda: COUNTS.update(syncDidFinish=COUNTS["syncDidFinish"] + 1))
_native_reset = aqt.main.AnkiQt.reset


def _counted_reset(self: Any) -> None:
    COUNTS["reset"] += 1
    _native_reset(self)


aqt.main.AnkiQt.reset = _counted_reset  # type: ignore[method-assign]
# loaded before the add-on (the folder name sorts first), so the add-on meets this system
# every run watches for a stall of 2 s; only the tests that measure the longest gap tick every 10 ms
_start_heartbeat(10 if os.environ.get("FLIPNEM_TEST_HEARTBEAT") == "1" else 100)
if os.environ.get("FLIPNEM_TEST_HOLD_SIDEBAR") == "1":
    # from the first page on: the profile opens with no page to decide its open sync
    gui_hooks.main_window_did_init.append(lambda: _hold_hellos(True))
if os.environ.get("FLIPNEM_TEST_NO_NETWORK_INFO") == "1":
    _without_network_information()
_serve()
