"""The bridge protocol: parses page requests and builds replies and events.

The message shapes come from protocol.json, the one definition both the page and
this side are tested against.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .schemas import Schema

DEFINITION: dict[str, Any] = json.loads((Path(__file__).parent / "protocol.json").read_text(encoding="utf-8"))
PREFIX: str = DEFINITION["prefix"]
MAX_MESSAGE_CHARS: int = DEFINITION["limits"]["messageChars"]
# text a server chose is cut before it is stored or shown, so a few long ones cannot crowd out the rest
SERVER_MESSAGE_CHARS: int = DEFINITION["limits"]["serverMessageChars"]
ERROR_TEXT_CHARS: int = DEFINITION["limits"]["errorTextChars"]
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# JSON's \ud800 escapes decode to lone surrogates (a pair becomes one character), which UTF-8 cannot hold
_SURROGATE = re.compile("[\ud800-\udfff]")


def cut(text: str, limit: int) -> str:
    """`text` without control characters, at most `limit` characters (an ellipsis marks a cut)."""
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def to_json(value: Any) -> str:
    """JSON the page can parse: no NaN or Infinity (JSON.parse refuses them). Raises ValueError."""
    return json.dumps(value, ensure_ascii=True, allow_nan=False)


class ProtocolError(Exception):
    """A message that does not fit the protocol; `code` is stable, `message` is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Request:
    id: int
    command: str
    args: dict[str, Any]


Spec = dict[str, str]


def resolve(spec: Spec | str) -> Spec:
    """A message's fields: written out, or named as one of the shapes."""
    if isinstance(spec, str):
        return DEFINITION["shapes"][spec.removeprefix("shape:")]
    return spec


def type_schema(kind: str) -> dict[str, Any]:
    """JSON Schema for one type of protocol.json's type language (its "about" says it), without a trailing ?."""
    if kind.startswith("enum:"):
        return {"enum": DEFINITION["enums"][kind[5:]].split("|")}
    if kind.startswith("shape:"):
        return json_schema(kind)
    if kind.startswith("array:"):
        return {"type": "array", "items": type_schema(kind[6:])}
    if kind == "any":
        return {}
    if kind in ("string", "number", "integer", "boolean", "object", "array"):
        return {"type": kind}
    raise ValueError(f"protocol.json names an unknown type {kind!r}")


def _or_null(schema: dict[str, Any]) -> dict[str, Any]:
    # said in the type or the enum rather than with anyOf, which checks several times slower
    if "type" in schema:
        return {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        return {**schema, "enum": [*schema["enum"], None]}
    return schema


def json_schema(spec: Spec | str) -> dict[str, Any]:
    """JSON Schema for a message's fields (or a shape, "shape:NAME"): exactly those fields; null counts as absent."""
    fields = resolve(spec)
    properties: dict[str, Any] = {}
    for name, kind in fields.items():
        schema = type_schema(kind.rstrip("?"))
        properties[name] = _or_null(schema) if kind.endswith("?") else schema
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name, kind in fields.items() if not kind.endswith("?")],
        "additionalProperties": False,
    }


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache needs Python 3.9
def _schema(key: str | tuple[tuple[str, str], ...]) -> Schema:
    return Schema(json_schema(key if isinstance(key, str) else dict(key)))


def _problem(spec: Spec | str, data: Any, what: str) -> str | None:
    """None when `data` has exactly the fields `spec` names, of the right types; else the first problem."""
    errors = _schema(spec if isinstance(spec, str) else tuple(spec.items())).errors(data)
    if not errors:
        return None
    if not isinstance(data, dict):
        return f"{what}: expected an object"
    # worded as the page's own check words it, first in the order the fields are written
    fields = resolve(spec)
    order = list(fields)
    found: list[tuple[int, str]] = []
    for error in errors:
        if error.path:
            name = error.path[0]
            words = f"missing {name}" if data[name] is None else f"{name} must be {fields[name].rstrip('?')}"
            found.append((order.index(name), words))
        elif error.validator == "required":
            name = next(n for n in order if n in error.validator_value and n not in data)
            found.append((order.index(name), f"missing {name}"))
        elif error.validator == "additionalProperties":
            found.append((len(order), f"unknown field {sorted(set(data) - set(fields))[0]}"))
        else:
            found.append((len(order), error.message))
    return f"{what}: {min(found)[1]}"


def check_fields(spec: Spec | str, data: Any, what: str) -> None:
    """Raise ProtocolError unless `data` has exactly the fields `spec` names, of the right types."""
    problem = _problem(spec, data, what)
    if problem:
        raise ProtocolError("badArgs", problem)


def reply_problem(command: str, result: Any) -> str | None:
    """None when a handler's result fits the command's reply in protocol.json (or it defines none)."""
    spec = DEFINITION["replies"].get(command)
    if spec is None:
        return None
    return _problem(
        spec,
        {k: v for k, v in result.items() if v is not None} if isinstance(result, dict) else result,
        f"{command} reply",
    )


def is_bridge_message(text: str) -> bool:
    return isinstance(text, str) and text.startswith(PREFIX)


def parse_request(text: str) -> Request:
    """Parse `flipnem:{json}`; raises ProtocolError with a clear message for anything else."""
    if not is_bridge_message(text):
        raise ProtocolError("notOurs", "not a Flipnem Sync message")
    if len(text) > MAX_MESSAGE_CHARS:
        raise ProtocolError("tooLarge", "message too large")
    try:
        # JSON has no NaN or Infinity; Python's reader would take them
        data = json.loads(text[len(PREFIX) :], parse_constant=_not_json)
    except (ValueError, RecursionError):
        raise ProtocolError("badJson", "message is not valid JSON") from None
    if not isinstance(data, dict):
        raise ProtocolError("badEnvelope", "message must be an object")
    msg_id = data.get("id")
    if not isinstance(msg_id, int) or isinstance(msg_id, bool) or msg_id < 0:
        raise ProtocolError("badEnvelope", "message needs a non-negative integer id")
    command = data.get("command")
    commands: dict[str, Spec | str] = DEFINITION["commands"]
    if not isinstance(command, str) or command not in commands:
        raise ProtocolError("unknownCommand", f"unknown command {str(command)[:40]!r}")
    args = data.get("args", {})
    check_fields(commands[command], args, command)
    if not well_formed(data):
        # stored, such text would make every later save of the state fail
        raise ProtocolError("badText", "message text is not valid Unicode")
    return Request(id=msg_id, command=command, args=args)


def well_formed(value: Any) -> bool:
    """False when any string in `value` (keys too) holds a lone surrogate; no recursion (a page could nest deeply)."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, str):
            if _SURROGATE.search(item):
                return False
        elif isinstance(item, dict):
            todo.extend(item)
            todo.extend(item.values())
        elif isinstance(item, list):
            todo.extend(item)
    return True


def _not_json(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def request_id(text: str) -> int | None:
    """Best-effort id of a malformed request, so its error reply can still be matched."""
    try:
        data = json.loads(text[len(PREFIX) :])
        msg_id = data.get("id") if isinstance(data, dict) else None
        return msg_id if isinstance(msg_id, int) and not isinstance(msg_id, bool) else None
    except ValueError:
        return None


def reply_ok(msg_id: int | None, result: Any = None) -> dict[str, Any]:
    return {"id": msg_id, "ok": True, "result": result}


def reply_error(msg_id: int | None, code: str, message: str) -> dict[str, Any]:
    return {"id": msg_id, "ok": False, "error": {"code": code, "message": message}}


def event(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """Build an event for the page; raises ProtocolError if it does not fit the definition."""
    events: dict[str, Spec | str] = DEFINITION["events"]
    if name not in events:
        raise ProtocolError("unknownEvent", f"unknown event {name!r}")
    clean = {k: v for k, v in data.items() if v is not None}
    check_fields(events[name], clean, name)
    return {"event": name, "data": clean}


def event_script(message: dict[str, Any]) -> str:
    """JavaScript that hands one event to the page (JSON is valid JS, so no quoting games)."""
    payload = to_json(message).replace("</", "<\\/")
    return f"window.flipnemReceive && window.flipnemReceive({payload});"
