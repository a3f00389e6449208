"""What differs between the Anki versions the add-on supports (24.06 to 26.9), in one place.

- How an add-on page gets a browser profile of its own. Card templates run JavaScript in
  Anki's reviewer, which shares Anki's profiles (storage, cache, service workers) with every
  page Anki makes; the add-on's pages must share nothing with them. From 25.02 Anki picks a
  page's profile in the overridable `AnkiWebPage._profileForPage` and installs its bridge
  script into whatever profile that returns. 24.06 puts every page in Qt's default profile
  and installs the bridge into the page's own profile when the page is made; its views also
  keep their first page in `_page` and use it for links, theme and cleanup.
- The order of a profile's opening: 24.06 asks for the open sync before `profile_did_open`,
  later versions after. `collection_did_load` comes first in every version, so main.py loads
  a profile's state there.
- Network information: Qt 6.6 (Anki 24.06) on Linux loads only NetworkManager as its default
  backend; later Qt falls back to GLib. `network_information` asks by feature when the default
  fails. Where no backend can tell reachability or metering, sensors.py reports the feature
  missing and the sidebar says so.
- Qt 5: 24.06 still runs on PyQt5; the add-on needs Qt 6 (`qt_major`, read in __init__.py
  before anything imports PyQt6).
"""

from __future__ import annotations

import logging
from typing import Any

from aqt.qt import QTimer, QUrl, QWebEnginePage, QWebEngineProfile
from aqt.webview import AnkiWebPage, AnkiWebView, AnkiWebViewKind
from PyQt6.QtNetwork import QNetworkInformation

from .pages import is_page

log = logging.getLogger("flipnem_sync")

# 25.02 and later: Anki asks the page which profile it belongs to
PAGE_PICKS_PROFILE = hasattr(AnkiWebPage, "_profileForPage")

_profile: QWebEngineProfile | None = None


def addon_profile() -> QWebEngineProfile:
    """The add-on's own profile: off the record (nothing on disk), used by no page of Anki's."""
    global _profile
    if _profile is None:
        # kept for the whole process, as Anki keeps its own profiles
        _profile = QWebEngineProfile()
    return _profile


class AddonWebPage(AnkiWebPage):
    """Anki's page (bridge, link handling, console) in the add-on's own profile."""

    def __init__(self, on_bridge_cmd: Any, kind: AnkiWebViewKind, parent: AnkiWebView) -> None:
        if PAGE_PICKS_PROFILE:
            super().__init__(on_bridge_cmd, kind, parent)
            return
        # 24.06: the same steps as its AnkiWebPage, in this profile instead of the default one
        QWebEnginePage.__init__(self, addon_profile(), parent)
        self._onBridgeCmd = on_bridge_cmd
        # each page installs the bridge into its profile: one copy is enough in ours (the copies
        # are equal, so removing an older one after the insert would remove the new one too)
        scripts = addon_profile().scripts()
        if scripts is not None:
            scripts.clear()
        self._setupBridge()
        self.open_links_externally = True

    def _profileForPage(self, kind: AnkiWebViewKind) -> QWebEngineProfile:
        return addon_profile()

    def acceptNavigationRequest(self, url: QUrl, nav_type: Any, is_main_frame: bool) -> bool:  # noqa: N802 - Qt's name
        # a link, a form, a script's location: nothing leaves the add-on's own page
        if is_main_frame and is_page(url):
            return True
        log.info("navigation away from the add-on's page refused")
        return False

    def createWindow(self, _kind: QWebEnginePage.WebWindowType) -> QWebEnginePage:  # noqa: N802 - Qt's name
        # window.open and target=_blank open nothing: the new page goes nowhere and is gone at once
        # (Chromium has made it already; a page given back and closed ends it cleanly for every observer)
        sink = NowherePage(self.profile(), self)
        QTimer.singleShot(0, sink.deleteLater)
        return sink


class NowherePage(QWebEnginePage):
    """A page that accepts no navigation at all."""

    def acceptNavigationRequest(self, _url: QUrl, _nav_type: Any, _is_main_frame: bool) -> bool:  # noqa: N802
        log.info("a window from the add-on's page refused")
        return False


def use_own_profile(view: AnkiWebView) -> None:
    """Replaces the page Anki gave `view` (in Anki's shared profile) before anything loads in it."""
    old = view.page()
    page = AddonWebPage(view._onBridgeCmd, view.kind, view)
    page.setBackgroundColor(old.backgroundColor())
    view.setPage(page)
    if hasattr(view, "_page"):
        setattr(view, "_page", page)  # noqa: B010 - 24.06 only
    old.deleteLater()


def network_information() -> QNetworkInformation | None:
    """Qt's network information, from the default backend or, where that has none here, any that tells reachability."""
    loaded = QNetworkInformation.loadDefaultBackend() or QNetworkInformation.loadBackendByFeatures(
        QNetworkInformation.Feature.Reachability
    )
    return QNetworkInformation.instance() if loaded else None
