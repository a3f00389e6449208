"""Fuzzing what arrives from outside: the bridge envelope, the state file and the config (≥ 1,000 inputs each).

Properties: nothing raises into Anki, no value of a wrong type is accepted, and a readable
managed flag and history are never lost.
"""

import json
import math
import os
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from addon import protocol, state_file, storage
from addon.bridge import Bridge
from addon.state_file import ProfileStore

RUNS = settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)
commands = st.sampled_from(sorted(protocol.DEFINITION["commands"]))
field_names = st.sampled_from(sorted({f for spec in protocol.DEFINITION["commands"].values() for f in spec}))
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "id": st.integers(min_value=-3, max_value=2**40) | json_values,
        "command": commands | json_values,
        "args": st.dictionaries(field_names, json_values, max_size=5) | json_values,
    },
)
texts = st.one_of(
    st.text(max_size=200),
    st.builds(lambda t: protocol.PREFIX + t, st.text(max_size=200)),
    st.builds(lambda e: protocol.PREFIX + json.dumps(e), envelopes),
)


def matches(kind: str, value: Any) -> bool:
    """What each kind in protocol.json means, written out apart from the code under test."""
    kind = kind.rstrip("?")
    if kind.startswith("enum:"):
        return isinstance(value, str) and value in protocol.DEFINITION["enums"][kind[5:]].split("|")
    if kind.startswith("shape:"):
        fields = protocol.DEFINITION["shapes"][kind[6:]]
        return (
            isinstance(value, dict)
            and set(value) <= set(fields)
            and all(v is None or matches(fields[k], v) for k, v in value.items())
        )
    if kind.startswith("array:"):
        return isinstance(value, list) and all(matches(kind[6:], v) for v in value)
    if kind == "number":
        return type(value) in (int, float) and math.isfinite(value)
    exact = {"string": str, "boolean": bool, "integer": int, "object": dict, "array": list}
    return kind == "any" or type(value) is exact[kind]


class View:
    def eval(self, script: str) -> None:
        pass


@RUNS
@given(texts, st.booleans())
def test_the_envelope_never_raises_and_never_hands_a_handler_a_wrong_type(text: str, ours: bool) -> None:
    bridge = Bridge()
    view = View()
    bridge.register_view(view)
    seen: list[tuple[str, dict[str, Any]]] = []

    def recorder(command: str) -> Any:
        def handler(args: dict[str, Any], _view: Any) -> dict[str, bool]:
            seen.append((command, args))
            return {"ok": True}

        return handler

    for command in protocol.DEFINITION["commands"]:
        bridge.handle(command, recorder(command))
    handled, reply = bridge.on_js_message((False, None), text, view if ours else object())
    if not protocol.is_bridge_message(text):
        assert (handled, reply) == (False, None)
        return
    assert handled is True
    json.dumps(reply, allow_nan=False)
    if not ours:
        assert reply["error"]["code"] == "refused" and not seen
    for command, args in seen:
        spec = protocol.DEFINITION["commands"][command]
        assert set(args) <= set(spec)
        for name, value in args.items():
            assert value is None or matches(spec[name], value)
    assert reply["ok"] is bool(seen)


# what each stored value must be, written out apart from the schema under test
STORE_TYPES: dict[str, tuple[type, ...]] = {
    "managed": (bool,),
    "user": (str,),
    "server": (str,),
    "previousSyncUrl": (str, type(None)),
    "keyAccepted": (bool, type(None)),
    "settingsApplied": (bool,),
    "periodicMediaMinutes": (int,),
    "backgroundSync": (bool,),
    "sidebarVisible": (bool,),
    "sidebarArea": (str,),
    "state": (dict,),
    "lastClose": (dict,),
}
GOOD = {
    "managed": True,
    "user": "u",
    "server": "http://127.0.0.1:1/",
    "periodicMediaMinutes": 7,
    "state": {"history": [{"kind": "media", "trigger": "periodic", "startedAt": 1, "durationMs": 0, "outcome": "ok"}]},
}
damage = st.one_of(
    st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
    json_values.map(lambda v: json.dumps(v)),
    st.dictionaries(st.sampled_from(sorted(STORE_TYPES)), json_values, max_size=6).map(json.dumps),
    st.integers(min_value=1, max_value=3000).map(lambda n: "[" * n + "]" * n),
    st.sampled_from(['{"a": NaN}', '{"a": Infinity}', '{"a": 1e999}', "", "\x00"]),
)


def assert_well_typed(data: dict[str, Any]) -> None:
    for key, kinds in STORE_TYPES.items():
        if key in data:
            assert isinstance(data[key], kinds)
            assert not (isinstance(data[key], bool) and bool not in kinds)
    json.dumps(data, allow_nan=False)


@RUNS
@given(damage, st.booleans())
def test_the_state_loader_never_raises_never_accepts_a_wrong_type_and_keeps_what_was_readable(
    text: str, with_good_copy: bool
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = ProfileStore(Path(tmp))
        store.data = dict(GOOD)
        store.save()
        if not with_good_copy:
            store.good_path.unlink()
        store.path.write_text(text, encoding="utf-8", errors="surrogatepass")
        loaded = ProfileStore(Path(tmp))
        assert_well_typed(loaded.data)
        try:
            readable = state_file.parse_state(text)
        except state_file.Unreadable:
            readable = None
        if readable is None:
            # the damaged file gave way to the last good copy, whole
            assert loaded.data == (GOOD if with_good_copy else {})
            assert loaded.problem
        else:
            clean, _ = state_file.clean_state(readable)
            assert loaded.data == clean


@RUNS
@given(json_values | st.dictionaries(st.sampled_from(sorted(storage.DEFAULTS)), json_values, max_size=7))
def test_the_config_loader_never_raises_and_gives_only_valid_values(raw: Any) -> None:
    config, problems = storage.clean_config(raw)
    assert set(config) == set(storage.DEFAULTS)
    for key, value in config.items():
        assert storage.check_value(key, value) is None
    if not isinstance(raw, dict):
        assert len(problems) == 1
    for key, value in raw.items() if isinstance(raw, dict) else []:
        if key in storage.DEFAULTS and storage.check_value(key, value) is None:
            assert config[key] == value


# page text as JSON carries it: any character, lone halves of a surrogate pair among them
page_text = st.text(st.characters() | st.characters(categories=["Cs"]), max_size=40)


def utf8_ok(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


@RUNS
@given(st.lists(page_text, min_size=1, max_size=3))
def test_page_text_is_stored_whole_or_refused_at_the_bridge_and_every_later_save_still_works(texts: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = ProfileStore(Path(tmp))
        bridge = Bridge(strict=True)

        def save(args: dict[str, Any], view: Any) -> dict[str, Any]:
            store.data["state"] = args["state"]
            store.save()
            return {"saved": True}

        bridge.handle("saveState", save)
        view = View()
        bridge.register_view(view)
        stored: list[str] = []
        for msg_id, text in enumerate(texts):
            # the page's history keeps what it was told, so each save carries every earlier text again
            state = {"history": [], "noticed": [*stored, text]}
            message = protocol.PREFIX + json.dumps({"id": msg_id, "command": "saveState", "args": {"state": state}})
            # what JSON hands Python: two halves of a pair in a row become one character
            sent = json.loads(json.dumps(text))
            _, reply = bridge.on_js_message((False, None), message, view)
            if utf8_ok(sent):
                assert reply["ok"] is True, reply
                stored.append(sent)
            else:
                assert reply == protocol.reply_error(msg_id, "badText", "message text is not valid Unicode")
            assert ProfileStore(Path(tmp)).data.get("state", {}).get("noticed", []) == stored
        assert list(Path(tmp).rglob("*.tmp")) == []


@RUNS
@given(page_text, st.sampled_from(["text", "file", "copy"]))
def test_a_failed_state_write_leaves_no_temporary_file_and_a_whole_state(text: str, failing: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        store = ProfileStore(Path(tmp))
        store.data = dict(GOOD)
        store.save()
        real = os.replace
        replaced: list[Any] = []

        def replace(src: Any, dst: Any) -> None:
            replaced.append(dst)
            if (failing, len(replaced)) in (("file", 1), ("copy", 2)):
                raise OSError("the disk is full")
            real(src, dst)

        store.data = {**GOOD, "state": {"history": [], "notice": text}}
        with mock.patch.object(state_file.os, "replace", replace):
            try:
                store.save()
                failed = False
            except (OSError, UnicodeEncodeError):
                failed = True
        assert failed == (failing != "text" or not utf8_ok(text))
        assert list(Path(tmp).rglob("*.tmp")) == []
        # the file and its copy each hold one whole state, the old or the new
        for path in (store.path, store.good_path):
            assert state_file.parse_state(path.read_text(encoding="utf-8")) in (GOOD, store.data)


@RUNS
@given(st.text(max_size=30) | st.floats().map(str) | st.integers().map(str))
def test_any_timer_scale_in_the_environment_gives_a_factor_in_range_and_never_raises(raw: str) -> None:
    from addon.wakeups import TIMER_SCALE_RANGE, timer_scale

    scale = timer_scale(raw)
    low, high = TIMER_SCALE_RANGE
    assert low <= scale <= high
    try:
        wanted = float(raw)
    except ValueError:
        wanted = math.nan
    if math.isfinite(wanted) and low <= wanted <= high:
        assert scale == wanted
    elif not math.isfinite(wanted):
        assert scale == 1.0
