"""A failed sync as an outcome the page understands, and Anki's progress words as plain text."""

from __future__ import annotations

from anki.errors import Interrupted, NetworkError, SyncError, SyncErrorKind

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


def anki_words(*parts: str) -> str:
    """Anki's own progress words, without the direction marks it wraps numbers in."""
    return " · ".join(p.replace("\u2068", "").replace("\u2069", "") for p in parts if p)
