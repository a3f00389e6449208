import json
import math
import re
from pathlib import Path

import pytest

from addon import protocol, schemas

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = json.loads((ROOT / "test/protocol/examples.json").read_text())


@pytest.mark.parametrize("text", EXAMPLES["validRequests"])
def test_valid_requests_parse(text: str) -> None:
    request = protocol.parse_request(text)
    assert request.command in protocol.DEFINITION["commands"]


@pytest.mark.parametrize("case", EXAMPLES["invalidRequests"], ids=lambda c: c["text"][:40])
def test_invalid_requests_rejected_with_code(case: dict) -> None:
    with pytest.raises(protocol.ProtocolError) as err:
        protocol.parse_request(case["text"])
    assert err.value.code == case["code"]


@pytest.mark.parametrize("case", EXAMPLES["validEvents"], ids=lambda c: c["event"])
def test_valid_events_build(case: dict) -> None:
    assert protocol.event(case["event"], case["data"]) == {"event": case["event"], "data": case["data"]}


@pytest.mark.parametrize("case", EXAMPLES["invalidEvents"], ids=lambda c: json.dumps(c)[:40])
def test_invalid_events_refused(case: dict) -> None:
    with pytest.raises(protocol.ProtocolError):
        protocol.event(case["event"], case["data"])


def test_event_script_cannot_break_out_of_script() -> None:
    script = protocol.event_script(protocol.event("mediaSyncProgress", {"text": "</script><script>alert(1)"}))
    assert "</script>" not in script
    assert script.startswith("window.flipnemReceive")


def test_oversized_message_refused() -> None:
    text = protocol.PREFIX + json.dumps(
        {"id": 1, "command": "ping", "args": {}, "pad": "x" * protocol.MAX_MESSAGE_CHARS}
    )
    with pytest.raises(protocol.ProtocolError) as err:
        protocol.parse_request(text)
    assert err.value.code == "tooLarge"


@pytest.mark.parametrize("case", EXAMPLES["validReplies"], ids=lambda c: c["command"])
def test_valid_replies_fit(case: dict) -> None:
    assert protocol.reply_problem(case["command"], case["result"]) is None


@pytest.mark.parametrize("case", EXAMPLES["invalidReplies"], ids=lambda c: json.dumps(c)[:40])
def test_invalid_replies_named(case: dict) -> None:
    assert protocol.reply_problem(case["command"], case["result"])


def test_every_shape_and_enum_named_anywhere_is_defined() -> None:
    text = json.dumps({k: protocol.DEFINITION[k] for k in ("shapes", "commands", "replies", "events")})
    for kind, name in re.findall(r"(shape|enum):(\w+)", text):
        assert name in protocol.DEFINITION["shapes" if kind == "shape" else "enums"], name
    assert set(protocol.DEFINITION["replies"]) <= set(protocol.DEFINITION["commands"])


def test_the_type_language_becomes_json_schema() -> None:
    assert protocol.type_schema("array:enum:syncKind") == {"type": "array", "items": {"enum": ["collection", "media"]}}
    assert protocol.json_schema({"a": "string", "b": "integer?", "c": "enum:syncKind?", "d": "any?"}) == {
        "type": "object",
        "properties": {
            "a": {"type": "string"},
            "b": {"type": ["integer", "null"]},
            "c": {"enum": ["collection", "media", None]},
            "d": {},
        },
        "required": ["a"],
        "additionalProperties": False,
    }
    with pytest.raises(ValueError):
        protocol.type_schema("strnig")


def test_every_message_and_shape_becomes_valid_json_schema() -> None:
    for section in ("commands", "replies", "events"):
        for spec in protocol.DEFINITION[section].values():
            schemas.check_schema(protocol.json_schema(spec))
    for name in protocol.DEFINITION["shapes"]:
        schemas.check_schema(protocol.json_schema(f"shape:{name}"))


@pytest.mark.parametrize(
    ("command", "args", "problem"),
    [
        ("hello", [], "hello: expected an object"),
        ("hello", {}, "hello: missing page"),
        ("hello", {"page": None}, "hello: missing page"),
        ("hello", {"page": "reviewer"}, "hello: page must be enum:page"),
        ("syncCollection", {"trigger": 1, "media": "yes"}, "syncCollection: trigger must be enum:trigger"),
        ("syncCollection", {"trigger": "open", "media": "yes"}, "syncCollection: media must be boolean"),
        ("setWakeup", {"timer": "retry", "delayMs": 1.5}, "setWakeup: delayMs must be integer"),
        ("setWakeup", {"timer": "retry", "delayMs": 1.0}, "setWakeup: delayMs must be integer"),
        ("setWakeup", {"timer": "retry", "delayMs": True}, "setWakeup: delayMs must be integer"),
        (
            "syncCollection",
            {"trigger": "open", "media": 1, "showProgress": True, "showServerMessage": True, "abortOnInput": True},
            "syncCollection: media must be boolean",
        ),
        ("watchInput", {"quietMs": 10_000}, "watchInput: missing returnMs"),
        ("testConnection", {"server": 1}, "testConnection: server must be string"),
        ("ping", {"extra": 1, "another": 2}, "ping: unknown field another"),
        ("hello", {"page": "sidebar", "extra": 1}, "hello: unknown field extra"),
        ("saveState", {"state": {"history": [{"kind": "media"}]}}, "saveState: state must be shape:persistedState"),
    ],
)
def test_a_bad_message_is_named_in_the_words_the_page_uses(command: str, args: object, problem: str) -> None:
    with pytest.raises(protocol.ProtocolError) as err:
        protocol.check_fields(protocol.DEFINITION["commands"][command], args, command)
    assert (err.value.code, err.value.message) == ("badArgs", problem)


def test_replies_and_events_name_their_problem_too() -> None:
    assert protocol.reply_problem("ping", {"pong": True, "at": math.nan}) == "ping reply: at must be number"
    with pytest.raises(protocol.ProtocolError) as err:
        protocol.event("clockJumped", {"gapMs": math.inf})
    assert err.value.message == "clockJumped: gapMs must be number"
    assert protocol.reply_problem("ping", {"pong": True}) == "ping reply: missing at"
    assert protocol.reply_problem("ping", {"pong": True, "at": 1, "extra": None}) is None
    with pytest.raises(protocol.ProtocolError) as err:
        protocol.event("fullSyncChoice", {"required": "upload", "localNotes": 1.0, "localCards": 1})
    assert err.value.message == "fullSyncChoice: localNotes must be integer"
