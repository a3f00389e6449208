"""Flipnem Sync: keeps Anki in sync with Flipnem on open, close and in the background.

Importing this package outside a running Anki does nothing, so tests can import its modules.
"""

from __future__ import annotations

import sys

from .words import QT6_NEEDED


def _running_in_anki() -> bool:
    try:
        from aqt import mw
    except Exception:  # noqa: BLE001
        return False
    return mw is not None


def _say_qt6_needed() -> None:
    """Anki 24.06 can still run on Qt 5; the add-on's pages and sensors need Qt 6, so it only says so."""
    try:
        from aqt import mw

        assert mw is not None
        action = mw.form.menuTools.addAction(QT6_NEEDED)
        if action is not None:
            action.setEnabled(False)
    except Exception as err:  # noqa: BLE001 - never a traceback in Anki for this
        print(f"{QT6_NEEDED} ({err})", file=sys.stderr)


def _start() -> None:
    # read before anything imports PyQt6
    from aqt.qt import qtmajor

    if qtmajor < 6:
        _say_qt6_needed()
        return
    import time

    began = time.perf_counter()
    from .main import start

    start(began)


if _running_in_anki():
    _start()
