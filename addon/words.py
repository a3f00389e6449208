"""Every word Python itself shows the user, in Qt (menus, windows, tooltips): one place, ready for
translation. What the pages show comes from their own words modules: Python sends them codes.
"""

from __future__ import annotations

ADDON_TITLE = "Flipnem Sync"
QT6_NEEDED = "Flipnem Sync needs Anki on Qt 6 (this Anki runs Qt 5): it does nothing here."

# Tools menu and windows
SETTINGS_MENU = f"{ADDON_TITLE}…"
SIDEBAR_MENU = f"{ADDON_TITLE} Status"
SETTINGS_TITLE = f"{ADDON_TITLE} Settings"
CLOSE_WAIT = "Syncing with Flipnem before Anki closes…"
# Anki's own progress window, for the syncs the user waits for
SYNCING = "Syncing with Flipnem…"
SKIP = "Skip"
CANCEL = "Cancel"

# Anki's tooltip when something lasts or needs the user, by the condition the page names
TOLD = {
    "lasting": "Flipnem Sync: your changes have not reached Flipnem for a while. See the sidebar.",
    "authFailed": "Flipnem Sync: Flipnem did not accept this profile's sign-in. Sign in again in Tools > Flipnem Sync…",
    "fullSyncRequired": "Flipnem Sync: Flipnem needs you to choose how to sync. Press Sync now.",
}

# the copy of Flipnem's collection before an upload
COPYING = "Saving a copy of Flipnem's collection before the upload…"
STOPPING = "Stopping…"


def size_text(n: float) -> str:
    for unit in ("bytes", "KiB", "MiB"):
        if n < 1024:
            return f"{n:.0f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def received(n: float) -> str:
    return f"{size_text(n)} received"


def copy_saved(path: object) -> str:
    return (
        f"Flipnem's collection was saved to {path} before the upload "
        "(to restore it, unpack it and open the .anki2 as a profile's collection.anki2)."
    )


def upload_anyway(reason: str) -> str:
    return (
        "Flipnem Sync could not save a copy of Flipnem's collection before the upload "
        f"({reason}).\n\nUpload anyway? This replaces everything on Flipnem, including reviews "
        "made on other devices since they last synced."
    )


# why a copy stopped, to follow "could not save a copy … ("
COPY_STOPPED = "you stopped it"
DISK_ALMOST_FULL = "the disk is almost full"


def more_than_free_disk(announced: int) -> str:
    return f"the server announced {size_text(announced)}, more than the free disk space allows"


def announced_over_cap(announced: int, cap: int) -> str:
    return f"the server announced {size_text(announced)}, more than the {size_text(cap)} a copy may take"


def sent_over_cap(cap: int) -> str:
    return f"the server sent more than the {size_text(cap)} a copy may take"


def took_too_long(seconds: float) -> str:
    return f"it took longer than {seconds:.0f} seconds"
