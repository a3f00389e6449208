"""Server address rules: https, or plain http only on this machine; always a trailing slash."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit


class AddressError(ValueError):
    pass


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_server(text: str) -> str:
    """The address Anki's sync client needs, or AddressError with a message for the user."""
    raw = (text or "").strip()
    if not raw:
        raise AddressError("Enter the server address, for example https://sync.example.com/")
    if any(ch.isspace() for ch in raw):
        raise AddressError("The address cannot contain spaces.")
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise AddressError("That is not a valid address.") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise AddressError("The address must start with https:// (for example https://sync.example.com/).")
    if parts.username is not None or parts.password is not None:
        raise AddressError("Leave your username and password out of the address.")
    if "?" in raw or "#" in raw:
        raise AddressError("The address cannot contain ? or #.")
    if scheme == "http" and not _is_loopback(host):
        raise AddressError("Use https:// — plain http is only allowed for a server on this computer.")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((scheme, parts.netloc.lower(), path, "", ""))
