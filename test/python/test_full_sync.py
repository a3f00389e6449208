"""How Anki's upload/download choice ended, told from what is needed afterwards."""

from pathlib import Path

import pytest
from anki.collection import Collection
from anki.decks import DeckId
from anki.sync import SyncStatus
from anki.sync_pb2 import SyncAuth

from addon.outcomes import full_sync_outcome


def status(required: int) -> SyncStatus:
    return SyncStatus(required=required)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("required", "moved", "outcome"),
    [
        (SyncStatus.FULL_SYNC, False, "cancelled"),
        # Anki leaves the stamp moved by an upload that then failed: still needed means not done
        (SyncStatus.FULL_SYNC, True, "cancelled"),
        (SyncStatus.NO_CHANGES, True, "ok"),
        (SyncStatus.NO_CHANGES, False, "ok"),
        # a change since: Anki did not ask Flipnem, so the stamp tells
        (SyncStatus.NORMAL_SYNC, True, "ok"),
        (SyncStatus.NORMAL_SYNC, False, "cancelled"),
    ],
)
def test_outcome_from_what_is_needed_afterwards(required: int, moved: bool, outcome: str) -> None:
    assert full_sync_outcome(status(required), moved) == outcome


def test_a_local_change_answers_normal_without_flipnem_and_leaves_the_stamp(tmp_path: Path) -> None:
    col = Collection(str(tmp_path / "c.anki2"))
    assert col.db is not None
    basic = col.models.by_name("Basic")
    assert basic is not None
    try:
        col.db.execute("update col set ls = scm, mod = scm")
        before = col.db.scalar("select ls from col")
        note = col.new_note(basic)
        note["Front"] = "reviewed before Sync"
        col.add_note(note, DeckId(1))
        # nothing listens here: an answer that needed Flipnem would fail
        auth = SyncAuth(hkey="k", endpoint="http://127.0.0.1:9/", io_timeout_secs=1)
        after = col.sync_status(auth)
        assert after.required == SyncStatus.NORMAL_SYNC
        assert col.db.scalar("select ls from col") == before
        assert full_sync_outcome(after, False) == "cancelled"
    finally:
        col.close()
