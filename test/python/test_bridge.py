from typing import Any

from addon.bridge import Bridge


class View:
    def __init__(self) -> None:
        self.scripts: list[str] = []

    def eval(self, script: str) -> None:
        self.scripts.append(script)


def make() -> tuple[Bridge, View, list[Any]]:
    bridge = Bridge()
    view = View()
    bridge.register_view(view)
    calls: list[Any] = []

    def toggle(args: Any, v: Any) -> dict[str, bool]:
        calls.append(v)
        return {"toggled": True}

    bridge.handle("toggleSidebar", toggle)
    return bridge, view, calls


CMD = 'flipnem:{"id":7,"command":"toggleSidebar","args":{}}'


def test_own_view_command_runs_and_replies_with_its_id() -> None:
    bridge, view, calls = make()
    handled, reply = bridge.on_js_message((False, None), CMD, view)
    assert handled is True
    assert reply == {"id": 7, "ok": True, "result": {"toggled": True}}
    assert calls == [view]


def test_foreign_view_command_is_refused_and_has_no_effect() -> None:
    bridge, _view, calls = make()
    reviewer = object()
    handled, reply = bridge.on_js_message((False, None), CMD, reviewer)
    assert handled is True
    assert reply["ok"] is False and reply["error"]["code"] == "refused"
    assert calls == []
    assert bridge.refused == 1


def test_unregistered_view_is_foreign() -> None:
    bridge, view, calls = make()
    bridge.unregister_view(view)
    _handled, reply = bridge.on_js_message((False, None), CMD, view)
    assert reply["error"]["code"] == "refused"
    assert calls == []


def test_other_messages_pass_through_untouched() -> None:
    bridge, view, _calls = make()
    assert bridge.on_js_message((False, None), "ans", view) == (False, None)
    assert bridge.on_js_message((True, 5), "domDone", view) == (True, 5)


def test_malformed_message_becomes_error_data() -> None:
    bridge, view, _calls = make()
    handled, reply = bridge.on_js_message(
        (False, None), 'flipnem:{"id":3,"command":"toggleSidebar","args":{"x":1}}', view
    )
    assert handled is True
    assert reply["id"] == 3 and reply["error"]["code"] == "badArgs"


def test_handler_exception_becomes_error_data_not_a_raise() -> None:
    bridge, view, _calls = make()
    bridge.handle("ping", lambda args, v: 1 / 0)
    handled, reply = bridge.on_js_message((False, None), 'flipnem:{"id":1,"command":"ping"}', view)
    assert handled is True
    assert reply["error"]["code"] == "failed"


def test_command_without_handler_is_unavailable() -> None:
    bridge, view, _calls = make()
    _handled, reply = bridge.on_js_message((False, None), 'flipnem:{"id":1,"command":"ping"}', view)
    assert reply["error"]["code"] == "unavailable"


def test_emit_reaches_registered_views_only() -> None:
    bridge, view, _calls = make()
    stranger = View()
    bridge.emit("wakeup", {"timer": "retry"})
    assert len(view.scripts) == 1 and '"timer": "retry"' in view.scripts[0]
    assert stranger.scripts == []
    # one page, when named, and no other
    other = View()
    bridge.register_view(other)
    bridge.emit("wakeup", {"timer": "background"}, only=view)
    assert len(view.scripts) == 2 and other.scripts == []
    bridge.emit("wakeup", {"timer": "periodicMedia"})
    assert len(view.scripts) == 3 and len(other.scripts) == 1
