"""A failed sync as an outcome the page understands, and Anki's progress words as plain text."""

from __future__ import annotations

from anki.errors import Interrupted, NetworkError, SyncError, SyncErrorKind
from anki.sync import SyncStatus

from .protocol import ERROR_TEXT_CHARS, cut


def classify(err: BaseException) -> tuple[str, str]:
    """(outcome, message) for a failed sync; the page turns outcomes into words. Server text is cut."""
    outcome, message = _classify(err)
    return outcome, cut(message, ERROR_TEXT_CHARS)


def _classify(err: BaseException) -> tuple[str, str]:
    if isinstance(err, Interrupted):
        return "aborted", ""
    if isinstance(err, SyncError):
        if err.kind is SyncErrorKind.AUTH:
            return "authFailed", ""
        return "serverError", str(err)
    if isinstance(err, NetworkError):
        return "networkError", str(err)
    return "failed", str(err) or type(err).__name__


REQUIRED_WORDS = {SyncStatus.NO_CHANGES: "none", SyncStatus.NORMAL_SYNC: "normal", SyncStatus.FULL_SYNC: "full"}


def full_sync_outcome(status: SyncStatus, last_sync_moved: bool) -> str:
    """How Anki's upload/download choice ended, told by what is needed afterwards.

    Anki answers "normal" without asking Flipnem when the collection changed locally, which
    says nothing of the full sync: then only the last-sync stamp, moved by an upload or a
    download, does.
    """
    if status.required == SyncStatus.FULL_SYNC:
        return "cancelled"
    if status.required == SyncStatus.NORMAL_SYNC and not last_sync_moved:
        return "cancelled"
    return "ok"


def anki_words(*parts: str) -> str:
    """Anki's own progress words, without the direction marks it wraps numbers in."""
    return " · ".join(p.replace("\u2068", "").replace("\u2069", "") for p in parts if p)
