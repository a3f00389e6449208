"""Sign in, sign out and test connection: Anki's own login call, run off the main thread.

The password is used once and never stored; the key goes where Anki keeps its own.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any

from anki.errors import NetworkError, SyncError, SyncErrorKind
from aqt import mw

from .address import AddressError, normalize_server
from .guard import guarded
from .protocol import ERROR_TEXT_CHARS, ProtocolError, cut
from .state_file import ProfileStore, remember_managed
from .storage import FLIPNEM_SERVER

log = logging.getLogger("flipnem_sync")
Emit = Callable[[str, dict[str, Any]], None]


def _sign_in_outcome(err: BaseException) -> tuple[str, str | None]:
    """The outcome's code; only Anki's own text travels with it, for a failure it has no code for."""
    if isinstance(err, SyncError) and err.kind is SyncErrorKind.AUTH:
        return "badCredentials", None
    if isinstance(err, NetworkError):
        return "unreachable", None
    return "failed", cut(str(err) or type(err).__name__, ERROR_TEXT_CHARS)


def server_from(text: str) -> str:
    try:
        return normalize_server(text)
    except AddressError as err:
        # the rule's code: the page words it
        raise ProtocolError("badAddress", err.code) from None


class Account:
    def __init__(
        self,
        emit: Emit,
        store: Callable[[], ProfileStore | None],
        save: Callable[[], None],
        defaults: Callable[[], dict[str, Any]],
    ) -> None:
        self._emit = emit
        self._store = store
        self._save = save
        self._defaults = defaults

    def first_connection_defaults(self) -> dict[str, Any] | None:
        """A profile's first connection starts from config.json's defaults; the page applies them."""
        store = self._store()
        if store is None or store.data.get("settingsApplied") is True:
            return None
        return self._defaults()

    def _signed_in_facts(self) -> dict[str, Any]:
        defaults = self.first_connection_defaults()
        return {"defaults": defaults} if defaults else {}

    def forget_key(self) -> dict[str, Any]:
        """The page's one path for a rejected key: cleared as Anki does; the profile is no longer ours."""
        assert mw is not None
        if mw.pm.profile is None:
            return {"forgotten": False}  # the profile closed meanwhile; its next sync is refused again
        mw.pm.clear_sync_auth()
        store = self._store()
        if store is not None:
            store.data["keyAccepted"] = False
            store.data["managed"] = False
            if mw.pm.profile is not None:
                remember_managed(mw.pm.profile, store)
            self._save()
        return {"forgotten": True}

    def sign_in(self, server_text: str, username: str, password: str) -> dict[str, Any]:
        assert mw is not None
        server = server_from(server_text)
        username = username.strip()
        if not username or not password:
            raise ProtocolError("missing", "username or password missing")
        if self._store() is None or mw.col is None:
            raise ProtocolError("notOpen", "no profile is open")
        col = mw.col

        def done(fut: Future) -> None:
            try:
                auth = fut.result()
            except Exception as err:  # noqa: BLE001 - becomes words beside the form
                outcome, message = _sign_in_outcome(err)
                log.info("sign-in failed: %s", outcome)
                self._emit("signInFinished", {"outcome": outcome, "message": message, "server": server})
                return
            if mw.col is not col:
                # the profile was closed or switched meanwhile: the key belongs to no profile now
                log.info("sign-in finished after its profile closed; dropped")
                self._emit("signInFinished", {"outcome": "profileClosed", "server": server})
                return
            self._signed_in(server, username, auth.hkey)

        mw.taskman.run_in_background(
            lambda: col.sync_login(username, password, server), guarded(done), uses_collection=False
        )
        return {"started": True}

    def _signed_in(self, server: str, username: str, hkey: str) -> None:
        assert mw is not None and mw.pm.profile is not None
        store = self._store()
        if store is None:
            return
        changed = mw.pm.sync_endpoint() != server or mw.pm.profile.get("syncUser") != username
        if "previousSyncUrl" not in store.data:
            # what sign-out restores (kept across a re-sign-in after a rejected key)
            store.data["previousSyncUrl"] = mw.pm.custom_sync_url()
        mw.pm.set_custom_sync_url(server)
        mw.pm.set_current_sync_url(None)
        mw.pm.set_sync_key(hkey)
        mw.pm.set_sync_username(username)
        mw.pm.set_host_number(0)
        facts = self._signed_in_facts()
        store.data.update({"managed": True, "user": username, "server": server, "keyAccepted": None})
        remember_managed(mw.pm.profile, store)
        mw.pm.save()
        self._save()
        if changed and mw.col:
            # media marked synced for another server would never reach this one
            mw.col.media.force_resync()
        log.info("signed in (server changed: %s)", changed)
        self._emit("accountChanged", {"signedIn": True, "user": username, "server": server, **facts})
        self._emit("signInFinished", {"outcome": "ok", "user": username, "server": server})

    def sign_out(self) -> dict[str, Any]:
        assert mw is not None
        store = self._store()
        if store is None:
            raise ProtocolError("notOpen", "no profile is open")
        previous = store.data.pop("previousSyncUrl", None)
        mw.pm.clear_sync_auth()
        mw.pm.set_custom_sync_url(previous)
        store.data["managed"] = False
        store.data["keyAccepted"] = None
        if mw.pm.profile is not None:
            remember_managed(mw.pm.profile, store)
        mw.pm.save()
        self._save()
        if mw.col:
            mw.col.media.force_resync()
        log.info("signed out")
        self._emit("accountChanged", {"signedIn": False})
        return {"signedOut": True, "server": previous}

    def test_connection(self, server_text: str | None) -> dict[str, Any]:
        assert mw is not None
        server = server_from(server_text or mw.pm.sync_endpoint() or FLIPNEM_SERVER)
        store = self._store()
        key_accepted = store.data.get("keyAccepted") if store else None
        timeout = mw.pm.network_timeout() if mw.pm.profile else 30

        def probe() -> tuple[bool, float, str]:
            started = time.monotonic()
            try:
                with urllib.request.urlopen(server, timeout=min(timeout, 15)):
                    pass
            except urllib.error.HTTPError:
                pass  # any HTTP answer means the server is there
            except Exception as err:  # noqa: BLE001 - anything but an HTTP answer: not reachable
                return False, 0.0, cut(str(getattr(err, "reason", err)), ERROR_TEXT_CHARS)
            return True, (time.monotonic() - started) * 1000, ""

        def done(fut: Future) -> None:
            reachable, ms, message = fut.result()
            self._emit(
                "connectionTested",
                {
                    "server": server,
                    "reachable": reachable,
                    "roundTripMs": round(ms, 1) if reachable else None,
                    "message": message or None,
                    "keyAccepted": key_accepted,
                },
            )

        mw.taskman.run_in_background(probe, guarded(done), uses_collection=False)
        return {"started": True}
