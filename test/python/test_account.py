"""The account: a rejected key and a first connection."""

from __future__ import annotations

from typing import Any

import pytest

from addon import account, state_file
from addon.state_file import ProfileStore

from .fakes import fake_mw


def test_account_forgets_a_rejected_key_and_hands_first_connection_defaults_to_the_page(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    mw = fake_mw()
    monkeypatch.setattr(account, "mw", mw)
    store = ProfileStore(tmp_path)
    store.data = {"managed": True, "user": "u", "server": "http://x/"}
    saves: list[bool] = []
    a = account.Account(lambda n, d: None, lambda: store, lambda: saves.append(True), lambda: {"x": 1})
    # told with the sign-in whether or not a page is up: the journal keeps it for the next one
    assert a._signed_in_facts() == {"defaults": {"x": 1}}
    store.data["settingsApplied"] = True
    assert a._signed_in_facts() == {}
    assert a.forget_key() == {"forgotten": True}
    assert mw.pm.profile["syncKey"] is None
    assert store.data["managed"] is False and store.data["keyAccepted"] is False
    assert state_file.PROFILE_RECORD not in mw.pm.profile
    assert saves == [True]
