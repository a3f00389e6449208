"""What Python reports while no sidebar page is up is told to the next page, with the sync it ends."""

import types
from typing import Any

import addon.main
from addon.host import SyncHost


def product(page_ready: bool) -> Any:
    emitted: list[tuple[str, dict[str, Any]]] = []
    host = SyncHost(lambda *_: None, lambda: None)
    me: Any = types.SimpleNamespace(
        store=None,
        page_ready=page_ready,
        missed_events=[],
        host=host,
        bridge=types.SimpleNamespace(emit=lambda name, data: emitted.append((name, data))),
        emitted=emitted,
    )
    me._tell_page = lambda name, data: addon.main.FlipnemSync._tell_page(me, name, data)
    return me


def unheard_run(me: Any) -> dict[str, Any]:
    return addon.main.FlipnemSync.unheard_run(me)


def test_a_page_that_is_up_hears_at_once() -> None:
    me = product(page_ready=True)
    addon.main.FlipnemSync._host_emit(me, "collectionSyncFinished", {"outcome": "ok"})
    assert me.emitted == [("collectionSyncFinished", {"outcome": "ok"})]
    assert me.missed_events == [] and unheard_run(me) == {}


def test_an_end_while_no_page_is_up_is_kept_with_the_sync_it_ends() -> None:
    me = product(page_ready=False)
    me.host.trigger = "button"
    addon.main.FlipnemSync._host_emit(me, "collectionSyncProgress", {"stage": "Sending"})
    assert unheard_run(me) == {}
    addon.main.FlipnemSync._host_emit(me, "collectionSyncFinished", {"outcome": "ok", "mediaStarted": True})
    addon.main.FlipnemSync._host_emit(me, "mediaSyncStarted", {})
    addon.main.FlipnemSync._host_emit(me, "mediaSyncFinished", {"outcome": "ok"})
    assert me.emitted == []
    assert [name for name, _ in me.missed_events] == [
        "collectionSyncProgress",
        "collectionSyncFinished",
        "mediaSyncStarted",
        "mediaSyncFinished",
    ]
    # the first end decides what the next page waits for: the collection sync, as the button's
    assert unheard_run(me) == {"syncRunning": "collection", "syncTrigger": "button"}


def test_a_media_sync_ending_unheard_is_waited_for_as_media() -> None:
    me = product(page_ready=False)
    me.host.trigger = "periodic"
    addon.main.FlipnemSync._host_emit(me, "mediaSyncFinished", {"outcome": "ok"})
    assert unheard_run(me) == {"syncRunning": "media", "syncTrigger": "periodic"}
