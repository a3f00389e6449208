"""What differs between Anki versions, in one place.

Today: how an add-on page gets a browser profile of its own. Card templates run
JavaScript in Anki's reviewer, which shares Anki's profiles (storage, cache, service
workers) with every page Anki makes; the add-on's pages must share nothing with them.
From 25.02 Anki picks a page's profile in the overridable `AnkiWebPage._profileForPage`
and installs its bridge script into whatever profile that returns.
"""

from __future__ import annotations

from aqt.qt import QWebEngineProfile
from aqt.webview import AnkiWebPage, AnkiWebView, AnkiWebViewKind

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

    def _profileForPage(self, kind: AnkiWebViewKind) -> QWebEngineProfile:
        return addon_profile()


def use_own_profile(view: AnkiWebView) -> None:
    """Replaces the page Anki gave `view` (in Anki's shared profile) before anything loads in it."""
    old = view.page()
    page = AddonWebPage(view._onBridgeCmd, view.kind, view)
    page.setBackgroundColor(old.backgroundColor())
    view.setPage(page)
    old.deleteLater()
