"""What a sync must carry, read the same way from any collection: Anki's (through the test
driver add-on) and another device's (anki_env.py), so the two can be compared."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from anki.collection import Collection


def inventory(col: Collection) -> dict[str, Any]:
    """Everything a sync must carry, by id: notes (with their first field), cards, reviews, and media by checksum."""
    media_dir = col.media.dir()
    media = {}
    for name in sorted(os.listdir(media_dir)):
        path = os.path.join(media_dir, name)
        if os.path.isfile(path) and not name.startswith("."):
            with open(path, "rb") as f:
                media[name] = hashlib.sha1(f.read()).hexdigest()
    return {
        "notes": {str(nid): flds.split("\x1f")[0] for nid, flds in col.db.all("select id, flds from notes")},
        "cards": sorted(col.db.list("select id from cards")),
        "revlog": sorted(col.db.list("select id from revlog")),
        "media": media,
    }
