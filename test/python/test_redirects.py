"""A server's redirect (`new_endpoint`) moves later syncs only to an address the add-on would accept itself."""

from __future__ import annotations

from concurrent.futures import Future
from types import SimpleNamespace
from typing import Any

import pytest

from addon import host, redirects

from .fakes import fake_mw

ORIGINAL = "https://sync.example.com/"
# refused by the address rule: plain http off this machine, another scheme, a password in the address
REFUSED = ["http://example.invalid/", "http://10.0.0.1:1/", "ftp://sync.example.com/", "https://u:p@sync.example.com/"]
ACCEPTED = ["https://other.example.com/sync/", "http://127.0.0.1:27701/"]


class Profiles:
    def __init__(self) -> None:
        self.profile: dict[str, Any] = {"syncKey": "secret-key", "syncUser": "u", "customSyncUrl": ORIGINAL}

    def set_current_sync_url(self, url: str | None) -> None:
        self.profile["currentSyncUrl"] = url

    def set_host_number(self, number: int) -> None:
        self.profile["hostNum"] = number

    def sync_endpoint(self) -> str:
        return self.profile.get("currentSyncUrl") or self.profile["customSyncUrl"]

    def sync_auth(self) -> Any:
        return SimpleNamespace(hkey=self.profile["syncKey"], endpoint=self.sync_endpoint(), io_timeout_secs=60)


def run_now(fn: Any, on_done: Any, uses_collection: bool = True) -> None:
    fut: Future = Future()
    try:
        fut.set_result(fn())
    except Exception as err:  # noqa: BLE001
        fut.set_exception(err)
    on_done(fut)


def sync_reply(new_endpoint: str) -> Any:
    return SimpleNamespace(new_endpoint=new_endpoint, host_number=0, server_message="", required=0, NO_CHANGES=0)


@pytest.fixture
def mw(monkeypatch: pytest.MonkeyPatch) -> Any:
    mw = fake_mw(pm=Profiles(), col=None, taskman=SimpleNamespace(run_in_background=run_now))
    mw.media_syncer.is_syncing = lambda: False
    for module in (host, redirects):
        monkeypatch.setattr(module, "mw", mw)
    return mw


def next_endpoint(h: host.SyncHost) -> str:
    """Where the next sync goes: every request takes its address from here."""
    return h._auth(30).endpoint


def finish_sync(h: host.SyncHost, new_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(host.mw, "col", None)
    fut: Future = Future()
    fut.set_result((sync_reply(new_endpoint), "", True))
    h.collection_running = True
    h._finish_collection(fut, media=False, probe=False)


@pytest.mark.parametrize("address", REFUSED)
def test_a_sync_redirect_to_a_refused_address_is_not_kept(
    address: str, mw: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    events: list[tuple[str, dict[str, Any]]] = []
    h = host.SyncHost(lambda name, data: events.append((name, data)), lambda: None)
    finish_sync(h, address, monkeypatch)
    assert mw.pm.sync_endpoint() == ORIGINAL
    assert [name for name, _ in events] == ["collectionSyncFinished"] and events[0][1]["outcome"] == "ok"
    # one line, and neither the key nor the address in it
    lines = [r.getMessage() for r in caplog.records if "redirect" in r.getMessage()]
    assert len(lines) == 1 and "secret-key" not in lines[0] and address not in lines[0]
    assert next_endpoint(h) == ORIGINAL


@pytest.mark.parametrize("address", ACCEPTED)
def test_a_redirect_that_keeps_the_rule_is_followed(address: str, mw: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    h = host.SyncHost(lambda *_: None, lambda: None)
    finish_sync(h, address, monkeypatch)
    assert mw.pm.sync_endpoint() == address
    assert next_endpoint(h) == address


@pytest.mark.parametrize("address", REFUSED)
def test_a_refused_redirect_stored_by_anki_itself_is_dropped_before_the_next_request(address: str, mw: Any) -> None:
    # Anki's own toolbar check stores a redirect without the add-on's rule
    mw.pm.set_current_sync_url(address)
    assert next_endpoint(host.SyncHost(lambda *_: None, lambda: None)) == ORIGINAL
    assert mw.pm.profile["currentSyncUrl"] is None
