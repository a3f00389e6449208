import json
import re
from pathlib import Path

import pytest

from addon import protocol

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
