"""The add-on's pages, served to its own browser profile only.

Anki's web server shares the cards' origin: whatever it serves, card JavaScript can fetch or
frame. So the built page is not exported there at all. A URL scheme handler installed on the
add-on's own profile (never on Anki's) serves it, and only its built files; a card's profile
does not know the scheme. Views accept no navigation away from the page and open no window.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from aqt.qt import QBuffer, QByteArray, QIODevice, QUrl
from PyQt6.QtWebEngineCore import QWebEngineProfile, QWebEngineUrlRequestJob, QWebEngineUrlSchemeHandler

log = logging.getLogger("flipnem_sync")
SCHEME = "flipnem-sync"
HOST = "app"
# the built page only: no character here can spell "..", another folder or another file
SERVED = re.compile(r"/(index\.html|assets/[A-Za-z0-9_-]+\.(js|css))")
TYPES = {".html": b"text/html", ".js": b"text/javascript", ".css": b"text/css"}


def page_url(page: str) -> QUrl:
    return QUrl(f"{SCHEME}://{HOST}/index.html#{page}")


def is_page(url: QUrl) -> bool:
    """The add-on's own page (any of its views, by fragment), or the blank page a closing view loads."""
    if url.toString() == "about:blank":
        return True
    return url.scheme() == SCHEME and url.host() == HOST and url.path() == "/index.html" and not url.hasQuery()


class PageFiles(QWebEngineUrlSchemeHandler):
    """Answers the add-on's profile with the built page's files; anything else is not found."""

    def __init__(self, web_dir: Path) -> None:
        super().__init__()
        self._web_dir = web_dir
        # a few small files, read once: later loads never touch the disk
        self._cache: dict[str, bytes] = {}

    def file(self, path: str) -> bytes | None:
        if not SERVED.fullmatch(path):
            return None
        if path not in self._cache:
            try:
                self._cache[path] = (self._web_dir / path[1:]).read_bytes()
            except OSError:
                return None
        return self._cache[path]

    def requestStarted(self, job: QWebEngineUrlRequestJob | None) -> None:  # noqa: N802 - Qt's name
        if job is None:
            return
        try:
            url = job.requestUrl()
            data = self.file(url.path()) if url.host() == HOST and job.requestMethod().data() == b"GET" else None
            if data is None:
                log.info("page file refused: %s", url.path()[:200])
                job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)
                return
            body = QBuffer(parent=job)
            body.setData(QByteArray(data))
            body.open(QIODevice.OpenModeFlag.ReadOnly)
            job.reply(TYPES[Path(url.path()).suffix], body)
        except Exception:  # noqa: BLE001 - a page that cannot load is shown as such, Anki goes on
            log.exception("serving a page file failed")
            job.fail(QWebEngineUrlRequestJob.Error.RequestFailed)


_handler: PageFiles | None = None


def serve_pages(profile: QWebEngineProfile, web_dir: Path) -> None:
    """Installs the scheme on the add-on's own profile, once for the process."""
    global _handler
    if _handler is None:
        _handler = PageFiles(web_dir)
        # Anki registers no scheme of ours before it starts (registration must precede any web view);
        # an unregistered scheme is served all the same, as a local one
        profile.installUrlSchemeHandler(SCHEME.encode(), _handler)
