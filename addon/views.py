"""Hosts the add-on's Svelte pages in Anki webviews."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aqt import mw
from aqt.qt import (
    QAction,
    QApplication,
    QDialog,
    QDockWidget,
    QKeySequence,
    QLabel,
    QPushButton,
    Qt,
    QTimer,
    QUrl,
    QVBoxLayout,
    QWebEnginePage,
    QWidget,
    qconnect,
)
from aqt.webview import AnkiWebView

from . import words
from .bridge import Bridge
from .compat import use_own_profile
from .guard import guarded, run_guarded
from .pages import page_url
from .shortcut import taken_in

log = logging.getLogger("flipnem_sync")
MAX_REBUILDS = 5


class AddonWebView(AnkiWebView):
    """An add-on page: no collection needed, links stay inside, registered with the bridge."""

    def __init__(
        self, parent: QWidget | None, bridge: Bridge, page: str, on_crash: Callable[[], None] | None = None
    ) -> None:
        super().__init__(parent=parent, title=f"{words.ADDON_TITLE} {page}")
        # before anything loads: card JavaScript must never reach this page's profile
        use_own_profile(self)
        self.requiresCol = False
        self.page_name = page
        self._bridge = bridge
        self._on_crash_rebuild = on_crash
        self.set_open_links_externally(False)
        # the bridge hook answers our messages; anything reaching here was not ours
        self.set_bridge_command(lambda _cmd: None, self)
        bridge.register_view(self)
        qconnect(self.page().renderProcessTerminated, guarded(self._on_crash))  # type: ignore[union-attr]
        self.load_url(page_url(page))

    def _on_crash(self, status: QWebEnginePage.RenderProcessTerminationStatus, code: int) -> None:
        # a fresh view asks for its state again through hello; the crashed one's channel is gone
        log.warning("page %s stopped (%s); starting it again", self.page_name, code)
        self._bridge.unregister_view(self)
        if self._on_crash_rebuild is not None:
            QTimer.singleShot(300, guarded(self._on_crash_rebuild))

    def close_view(self) -> None:
        self._bridge.unregister_view(self)
        # Qt deletes the page later; until then it must not look like a live add-on page
        self.setUrl(QUrl("about:blank"))
        self.cleanup()


class SidebarDock(QDockWidget):
    """The status sidebar. Its page also runs the orchestrator, so it lives while hidden."""

    def __init__(
        self, bridge: Bridge, on_visibility: Callable[[bool], None], on_page_loading: Callable[[], None]
    ) -> None:
        super().__init__(words.ADDON_TITLE, mw)
        self.setObjectName("flipnemSyncSidebar")
        self.setMinimumWidth(220)
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetClosable | QDockWidget.DockWidgetFeature.DockWidgetMovable
        )
        self._bridge = bridge
        self._on_page_loading = on_page_loading
        self._rebuilds = 0
        self.web = self._new_web()
        qconnect(self.visibilityChanged, on_visibility)
        qconnect(self.dockLocationChanged, lambda _area: on_visibility(self.isVisible()))

    def _new_web(self) -> AddonWebView:
        web = AddonWebView(self, self._bridge, "sidebar", on_crash=self._rebuild)
        qconnect(web.loadStarted, self._on_page_loading)
        # from the crash on, not from the new page's load: what Python reports meanwhile is kept for it
        qconnect(web.page().renderProcessTerminated, lambda *_: self._on_page_loading())  # type: ignore[union-attr]
        self.setWidget(web)
        return web

    def _rebuild(self) -> None:
        self._rebuilds += 1
        if self._rebuilds > MAX_REBUILDS:
            # a page that keeps crashing is left down; Python's close bound still lets Anki close
            log.error("the sidebar page keeps crashing; not starting it again")
            return
        old = self.web
        self.web = self._new_web()
        old.cleanup()
        old.deleteLater()

    def place(self, area: str, visible: bool) -> None:
        side = Qt.DockWidgetArea.LeftDockWidgetArea if area == "left" else Qt.DockWidgetArea.RightDockWidgetArea
        assert mw is not None
        mw.addDockWidget(side, self)
        self.setVisible(visible)

    def area_name(self) -> str:
        assert mw is not None
        return "left" if mw.dockWidgetArea(self) == Qt.DockWidgetArea.LeftDockWidgetArea else "right"


class SettingsDialog(QDialog):
    """Tools > Flipnem Sync…: the settings panel, one per Anki window."""

    def __init__(self, bridge: Bridge, on_closed: Callable[[], None]) -> None:
        super().__init__(mw)
        self.setWindowTitle(words.SETTINGS_TITLE)
        self.resize(520, 640)
        self._on_closed = on_closed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # a crashed panel closes; opening it again starts a fresh page
        self.web = AddonWebView(self, bridge, "settings", on_crash=self.reject)
        layout.addWidget(self.web)
        self.setLayout(layout)

    def done(self, result: int) -> None:
        # called by Qt: nothing may raise, and the dialog always closes
        run_guarded(self.web.close_view)
        super().done(result)
        run_guarded(self._on_closed)
        self.deleteLater()


class CloseSkipDialog(QDialog):
    """Shown while a close waits for a sync: Skip lets Anki close now; what did not sync goes next time."""

    def __init__(self, on_skip: Callable[[], None]) -> None:
        # no parent: Anki's main window is disabled while it closes
        super().__init__(None)
        self.setWindowTitle(words.ADDON_TITLE)
        self._on_skip: Callable[[], None] | None = on_skip
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(words.CLOSE_WAIT))
        skip = QPushButton(words.SKIP)
        qconnect(skip.clicked, self.reject)
        layout.addWidget(skip)
        self.show()

    def reject(self) -> None:
        on_skip, self._on_skip = self._on_skip, None
        super().reject()
        if on_skip is not None:
            on_skip()

    def finish(self) -> None:
        self._on_skip = None
        self.close()
        self.deleteLater()


class Panels:
    """The sidebar dock and the settings dialog: shown, hidden and remembered as the user leaves them."""

    def __init__(
        self,
        bridge: Bridge,
        remember: Callable[[bool, str], None],
        on_page_loading: Callable[[], None],
        shortcut: str,
        can_open_settings: Callable[[], bool],
    ) -> None:
        self._bridge = bridge
        self._remember = remember
        self._on_page_loading = on_page_loading
        self._can_open_settings = can_open_settings
        self.dock: SidebarDock | None = None
        self.settings_dialog: SettingsDialog | None = None
        assert mw is not None
        self.sidebar_action = QAction(words.SIDEBAR_MENU, mw)
        self.sidebar_action.setCheckable(True)
        self.sidebar_action.setShortcut(QKeySequence(shortcut))
        # the action's check mark mirrors the dock, so a trigger carries the wanted visibility
        qconnect(self.sidebar_action.triggered, guarded(self.set_sidebar_visible))

    def set_shortcut(self, keys: str) -> None:
        self.sidebar_action.setShortcut(QKeySequence(keys))

    def taken_keys(self) -> dict[str, str]:
        """The shortcuts Anki's window already uses, each with what it does (the sidebar's own left out)."""
        assert mw is not None
        return taken_in(mw, self.sidebar_action)

    def add_menu(self, module: str) -> None:
        assert mw is not None
        settings_action = QAction(words.SETTINGS_MENU, mw)
        qconnect(settings_action.triggered, guarded(lambda *_checked: self.open_settings()))
        mw.form.menuTools.addAction(settings_action)
        mw.form.menuTools.addAction(self.sidebar_action)
        mw.addonManager.setConfigAction(module, guarded(self.open_settings))

    def prepare_sidebar(self) -> None:
        """The sidebar's page starts (hidden, in no dock area) before a profile opens."""
        if self.dock is None:
            self.dock = SidebarDock(self._bridge, guarded(self._on_visibility), guarded(self._on_page_loading))
            self.dock.hide()

    def place_sidebar(self, area: str, visible: bool) -> None:
        self.prepare_sidebar()
        assert self.dock is not None
        self.dock.place(area, visible)

    def _on_visibility(self, visible: bool) -> None:
        self.sidebar_action.setChecked(visible)
        if self.dock is not None:
            self._remember(visible, self.dock.area_name())

    def set_sidebar_visible(self, visible: bool) -> None:
        """The menu's action or its shortcut: shown, the keys go into the sidebar; hidden, back to Anki."""
        if self.dock is None:
            return
        if visible:
            self.dock.setVisible(True)
            self.dock.raise_()
            self.dock.web.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        was_inside = self.dock.isAncestorOf(QApplication.focusWidget())
        self.dock.setVisible(False)
        if was_inside:
            self.focus_anki()

    def focus_anki(self) -> dict[str, bool]:
        """The keys go back to where Anki's own window reads them: its deck list, overview or card."""
        assert mw is not None
        target = mw.web if mw.web is not None and mw.web.isVisible() else mw
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return {"focused": True}

    def toggle_sidebar(self) -> None:
        if self.dock is not None:
            self.dock.setVisible(not self.dock.isVisible())

    def show_sidebar(self) -> dict[str, bool]:
        if self.dock is not None:
            self.dock.setVisible(True)
            self.dock.raise_()
        return {"shown": self.dock is not None}

    def open_settings(self) -> None:
        if not self._can_open_settings():
            return
        if self.settings_dialog is None:
            self.settings_dialog = SettingsDialog(self._bridge, self._settings_closed)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        self.settings_dialog.activateWindow()

    def release_sidebar_page(self) -> None:
        """Anki is quitting: the page's web process stops beside Anki's own unload, not after it."""
        if self.dock is not None:
            self.dock.web.close_view()

    def close_settings(self) -> dict[str, bool]:
        if self.settings_dialog is not None:
            self.settings_dialog.reject()
        return {"closed": True}

    def _settings_closed(self) -> None:
        self.settings_dialog = None
