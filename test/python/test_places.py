"""The add-on's files leave addons21/ (which Anki's web server reaches) once, with nothing lost."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from addon import places
from addon.state_file import ProfileStore


def old_stem(name: str) -> str:
    # how the version before this one named a profile's file
    return f"User_1-{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def test_a_profiles_state_and_last_good_copy_move_to_its_folder(tmp_path: Path) -> None:
    user_files = tmp_path / "addons21" / "flipnem_sync" / "user_files"
    old = user_files / "profiles"
    old.mkdir(parents=True)
    (old / f"{old_stem('User 1')}.json").write_text('{"managed": true, "user": "ada"}')
    (old / f"{old_stem('User 1')}.last-good.json").write_text('{"managed": true, "user": "ada"}')
    (old / f"{old_stem('User 1')}.x.tmp").write_text("half")
    folder = places.profile_folder(tmp_path / "User 1")
    places.move_old_state(user_files, "User 1", folder)
    store = ProfileStore(folder)
    assert store.managed and store.data["user"] == "ada"
    assert (folder / "state.last-good.json").exists()
    # nothing of it is left where a card could read it
    assert not user_files.exists()


def test_another_profiles_files_stay_until_it_opens(tmp_path: Path) -> None:
    user_files = tmp_path / "user_files"
    old = user_files / "profiles"
    old.mkdir(parents=True)
    other = f"Other-{hashlib.sha1(b'Other').hexdigest()[:8]}.json"
    (old / other).write_text("{}")
    places.move_old_state(user_files, "User 1", places.profile_folder(tmp_path / "User 1"))
    assert (old / other).exists()


def test_a_newer_file_wins_and_the_old_one_goes(tmp_path: Path) -> None:
    user_files = tmp_path / "user_files"
    (user_files / "profiles").mkdir(parents=True)
    (user_files / "profiles" / f"{old_stem('User 1')}.json").write_text('{"user": "old"}')
    folder = places.profile_folder(tmp_path / "User 1")
    folder.mkdir(parents=True)
    (folder / "state.json").write_text('{"user": "new"}')
    places.move_old_state(user_files, "User 1", folder)
    assert ProfileStore(folder).data["user"] == "new"
    assert not (user_files / "profiles").exists()


def test_the_log_moves_to_the_folder_under_ankis_base(tmp_path: Path) -> None:
    user_files = tmp_path / "addons21" / "flipnem_sync" / "user_files"
    user_files.mkdir(parents=True)
    (user_files / "flipnem-sync.log").write_text("a line\n")
    (user_files / "flipnem-sync.log.1").write_text("older\n")
    folder = places.log_folder(tmp_path)
    places.move_old_log(user_files, folder)
    assert (folder / "flipnem-sync.log").read_text() == "a line\n"
    assert (folder / "flipnem-sync.log.1").read_text() == "older\n"
    assert not (user_files / "flipnem-sync.log").exists()
    assert folder.parent == tmp_path and "addons21" not in folder.parts


def test_a_move_that_fails_never_stops_the_add_on(tmp_path: Path) -> None:
    user_files = tmp_path / "user_files"
    (user_files / "profiles").mkdir(parents=True)
    (user_files / "profiles" / f"{old_stem('User 1')}.json").write_text("{}")
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    places.move_old_state(user_files, "User 1", blocked / "flipnem_sync")
    assert (user_files / "profiles" / f"{old_stem('User 1')}.json").exists()


def test_show_data_folder_opens_the_folder_that_holds_the_log(tmp_path: Path, monkeypatch: Any) -> None:
    from addon import commands

    opened: list[str] = []
    monkeypatch.setattr(commands, "openFolder", opened.append)
    assert commands.show_data_folder(places.log_folder(tmp_path)) == {"shown": True}
    # made if the log was never written, so the user never sees an error instead of a folder
    assert opened == [str(tmp_path / "flipnem_sync")] and (tmp_path / "flipnem_sync").is_dir()
