"""Server address rules: https, or plain http only on this machine; always a trailing slash.

A refused address raises AddressError with a code; the settings page words it
(web/src/ui/settings/words.ts, ADDRESS_WORDS).
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit


class AddressError(ValueError):
    """`code`: empty, spaces, invalid, noScheme, credentials, queryOrFragment or plainHttp."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def normalize_server(text: str) -> str:
    """The address Anki's sync client needs, or AddressError with the rule it breaks."""
    raw = (text or "").strip()
    if not raw:
        raise AddressError("empty")
    if any(ch.isspace() for ch in raw):
        raise AddressError("spaces")
    try:
        parts = urlsplit(raw)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise AddressError("invalid") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not host:
        raise AddressError("noScheme")
    if parts.username is not None or parts.password is not None:
        raise AddressError("credentials")
    if "?" in raw or "#" in raw:
        raise AddressError("queryOrFragment")
    if scheme == "http" and not _is_loopback(host):
        raise AddressError("plainHttp")
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((scheme, parts.netloc.lower(), path, "", ""))
