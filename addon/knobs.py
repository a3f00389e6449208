"""Numbers from test-only environment variables: kept within a stated range, and never able to
stop the add-on loading (anything that is not a finite number is ignored, with one log line).

Pure (no Anki), so the schedule's seam and the copy's caps read them the same way.
"""

from __future__ import annotations

import logging
import math

log = logging.getLogger("flipnem_sync")


def env_number(name: str, raw: str | None, low: float, high: float) -> float | None:
    """`raw` (the variable `name`'s text) as a number within low..high; None when unset or not a number."""
    if raw is None or not raw.strip():
        return None
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        log.warning("%s ignored: not a number", name)
        return None
    if not low <= value <= high:
        log.warning("%s %s kept within %s to %s", name, raw.strip()[:20], low, high)
    return min(max(value, low), high)
