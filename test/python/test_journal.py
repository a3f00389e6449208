"""The restart contract's Python half: every event for the orchestrator is numbered and kept until
the page's snapshot covers it; a page that says hello takes up the snapshot and the events since."""

import types
from typing import Any

import pytest

import addon.main
from addon.journal import JOURNAL_LIMIT, Journal
from addon.protocol import ProtocolError


def journal() -> tuple[Journal, list[dict[str, Any]]]:
    delivered: list[dict[str, Any]] = []
    clock = iter(range(1000, 100_000))
    return Journal(delivered.append, clock=lambda: float(next(clock))), delivered


def names(events: list[dict[str, Any]]) -> list[str]:
    return [e["event"] for e in events]


def test_a_page_that_is_up_hears_at_once_numbered_and_stamped() -> None:
    j, delivered = journal()
    j.hello()
    j.record("collectionSyncFinished", {"outcome": "ok", "mediaStarted": False})
    assert delivered == [
        {"event": "collectionSyncFinished", "data": {"outcome": "ok", "mediaStarted": False}, "seq": 1, "at": 1_000_000}
    ]
    # kept until the page's snapshot says it has it
    assert names(j.events) == ["collectionSyncFinished"]


def test_an_end_while_no_page_is_up_is_kept_with_what_came_before_it() -> None:
    j, delivered = journal()
    j.record("collectionSyncProgress", {"stage": "Sending"})
    j.record("collectionSyncFinished", {"outcome": "ok", "mediaStarted": True})
    j.record("mediaSyncStarted", {})
    j.record("mediaSyncFinished", {"outcome": "ok"})
    assert delivered == []
    restart = j.hello()
    assert restart["snapshot"] is None and restart["seq"] == 0
    assert names(restart["events"]) == [
        "collectionSyncProgress",
        "collectionSyncFinished",
        "mediaSyncStarted",
        "mediaSyncFinished",
    ]
    assert [e["seq"] for e in restart["events"]] == [1, 2, 3, 4]


def test_a_snapshot_covers_the_events_up_to_its_number() -> None:
    j, _ = journal()
    j.hello()
    for timer in ("retry", "background", "statusCheck"):
        j.record("wakeup", {"timer": timer})
    j.keep(2, {"v": 1, "session": {}, "env": {}})
    j.page_gone()
    restart = j.hello()
    assert restart["snapshot"] == {"v": 1, "session": {}, "env": {}}
    assert restart["seq"] == 2
    assert [e["data"]["timer"] for e in restart["events"]] == ["statusCheck"]


def test_a_hello_that_dies_loses_nothing_the_next_page_gets_the_same() -> None:
    j, _ = journal()
    j.record("profileOpened", {"profile": "p", "signedIn": False, "settings": settings()})
    first = j.hello()
    j.page_gone()
    assert j.hello() == first


def test_a_snapshot_from_a_page_gone_since_or_numbered_by_no_journal_is_not_kept() -> None:
    j, _ = journal()
    j.record("wakeup", {"timer": "retry"})
    j.record("wakeup", {"timer": "background"})
    j.keep(2, {"v": 1, "session": {"n": 2}, "env": {}})
    j.keep(1, {"v": 1, "session": {"n": 1}, "env": {}})
    j.keep(7, {"v": 1, "session": {"n": 7}, "env": {}})
    assert j.snapshot == {"v": 1, "session": {"n": 2}, "env": {}} and j.snapshot_seq == 2


def test_an_event_that_does_not_fit_the_protocol_is_not_kept() -> None:
    j, _ = journal()
    j.record("wakeup", {"timer": "never"})
    j.record("noSuchEvent", {})
    assert j.events == [] and j.seq == 0


def test_commands_are_carried_out_in_order_and_a_sync_that_could_not_start_ends_by_its_event() -> None:
    j, delivered = journal()
    j.hello()
    ran: list[str] = []

    def run(name: str, args: dict[str, Any]) -> None:
        ran.append(name)
        if name == "syncCollection":
            raise ProtocolError("busy", "a sync is already running")
        if name == "syncMedia":
            raise ProtocolError("signedOut", "not signed in")
        if name == "notify":
            raise RuntimeError("no window")

    commands = [
        {"type": "setWakeup", "timer": "retry", "delayMs": 5},
        {"type": "syncCollection", "trigger": "button"},
        {"type": "notify", "about": "lasting"},
        {"type": "syncMedia", "trigger": "periodic"},
        {"type": "saveState", "state": {"history": []}},
    ]
    problems = j.carry_out(commands, run)
    assert ran == ["setWakeup", "syncCollection", "notify", "syncMedia", "saveState"]
    assert problems == ["notify: no window"]
    assert [(e["event"], e["data"]) for e in delivered] == [
        (
            "collectionSyncFinished",
            {"outcome": "failed", "message": "a sync is already running", "mediaStarted": False},
        ),
        ("mediaSyncFinished", {"outcome": "failed", "message": "not signed in"}),
    ]


def test_a_collection_sync_refused_for_want_of_a_key_ends_as_a_rejected_key() -> None:
    j, delivered = journal()
    j.hello()

    def run(name: str, args: dict[str, Any]) -> None:
        raise ProtocolError("signedOut", "not signed in to Flipnem")

    j.carry_out([{"type": "syncCollection"}, {"type": "syncMedia"}, {"type": "chooseFullSync"}], run)
    assert [(e["event"], e["data"]["outcome"]) for e in delivered] == [
        ("collectionSyncFinished", "authFailed"),
        ("mediaSyncFinished", "failed"),
        ("fullSyncFinished", "failed"),
    ]


def test_a_sync_refused_because_the_close_went_on_ends_as_stopped_not_failed() -> None:
    j, delivered = journal()
    j.hello()

    def run(name: str, args: dict[str, Any]) -> None:
        raise ProtocolError("closing", "Anki is closing")

    j.carry_out([{"type": "syncCollection"}, {"type": "syncMedia"}], run)
    assert [(e["event"], e["data"]["outcome"]) for e in delivered] == [
        ("collectionSyncFinished", "aborted"),
        ("mediaSyncFinished", "aborted"),
    ]


def test_a_journal_no_page_takes_stays_bounded_and_keeps_the_newest() -> None:
    j, _ = journal()
    for _ in range(JOURNAL_LIMIT + 5):
        j.record("localChange", {"kinds": ["card"]})
    assert len(j.events) == JOURNAL_LIMIT
    assert j.events[-1]["seq"] == JOURNAL_LIMIT + 5 and j.dropped == 5


@pytest.mark.parametrize(
    ("name", "to_journal"),
    [("collectionSyncFinished", True), ("wakeup", True), ("signInFinished", False), ("preferencesChanged", False)],
)
def test_the_panels_events_go_to_the_pages_as_they_are_the_orchestrators_to_the_journal(
    name: str, to_journal: bool
) -> None:
    recorded: list[str] = []
    emitted: list[str] = []
    me: Any = types.SimpleNamespace(
        panel_events=frozenset(addon.main.protocol.DEFINITION["panelEvents"]),
        journal=types.SimpleNamespace(record=lambda n, d: recorded.append(n)),
        bridge=types.SimpleNamespace(emit=lambda n, d: emitted.append(n)),
    )
    addon.main.FlipnemSync._emit(me, name, {})
    assert (recorded, emitted) == (([name], []) if to_journal else ([], [name]))


def settings() -> dict[str, Any]:
    return {
        "autoSync": True,
        "syncMedia": True,
        "periodicMedia": True,
        "periodicMediaMinutes": 15,
        "backgroundSync": True,
    }
