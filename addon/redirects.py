"""A server may move later syncs elsewhere (its answer's new endpoint); the add-on follows it
only when the new address keeps the rule every address keeps: https, or http on this machine."""

from __future__ import annotations

import logging

from aqt import mw

from .address import AddressError, normalize_server

log = logging.getLogger("flipnem_sync")


def allowed_redirect(endpoint: str, what: str) -> str | None:
    """A server's redirect as it may be used, or None when it breaks the address rule (https, or http on this machine)."""
    try:
        return normalize_server(endpoint)
    except AddressError as err:
        # a server must not move the key to plain http or elsewhere; the address itself is not logged
        log.warning("%s was refused: %s", what, err)
        return None


def follow_redirect(endpoint: str) -> None:
    """A redirect is kept for later syncs only when it keeps the address rule."""
    if (address := allowed_redirect(endpoint, "a server redirect")) is not None:
        mw.pm.set_current_sync_url(address)
