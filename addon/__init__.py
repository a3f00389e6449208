"""Flipnem Sync: keeps Anki in sync with Flipnem on open, close and in the background.

Importing this package outside a running Anki does nothing, so tests can import its modules.
"""

from __future__ import annotations


def _running_in_anki() -> bool:
    try:
        from aqt import mw
    except Exception:  # noqa: BLE001
        return False
    return mw is not None


if _running_in_anki():
    from .main import start

    start()
