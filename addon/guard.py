"""The one rule for code Anki calls back: nothing raises into Anki.

A hook handler that raises is removed and breaks Anki's open or close path; a Qt slot or
a task callback that raises shows Anki's error window. Failures are logged instead.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger("flipnem_sync")


def run_guarded(fn: Callable[..., Any], *args: Any) -> Any:
    try:
        return fn(*args)
    except Exception:  # noqa: BLE001
        log.exception("%s failed", getattr(fn, "__name__", "callback"))
        return None


def guarded(fn: Callable[..., Any]) -> Callable[..., Any]:
    """`fn` as a hook handler, slot or callback that never raises."""

    def wrapper(*args: Any) -> Any:
        return run_guarded(fn, *args)

    wrapper.__name__ = getattr(fn, "__name__", "callback")
    return wrapper
