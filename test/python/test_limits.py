"""Server text is cut before it is stored or shown; refusals are logged at most once a minute per view."""

import logging
import math
from typing import Any

from addon import protocol
from addon.bridge import REFUSAL_LOG_SECONDS, Bridge
from addon.outcomes import classify


def test_cut_keeps_short_text_and_cuts_long_text_to_the_limit() -> None:
    assert protocol.cut("Maintenance at 9", 1000) == "Maintenance at 9"
    long = protocol.cut("x" * 5000, protocol.SERVER_MESSAGE_CHARS)
    assert len(long) == protocol.SERVER_MESSAGE_CHARS and long.endswith("\u2026")


def test_cut_removes_control_characters_but_keeps_lines() -> None:
    assert protocol.cut("a\x00b\x1bc\nd\te", 100) == "a b c\nd\te"


def test_limits_come_from_protocol_json() -> None:
    assert protocol.SERVER_MESSAGE_CHARS == 1000
    assert protocol.ERROR_TEXT_CHARS == 500
    assert protocol.MAX_MESSAGE_CHARS == protocol.DEFINITION["limits"]["messageChars"]


def test_sync_errors_from_the_server_are_cut() -> None:
    outcome, message = classify(RuntimeError("e" * 10_000))
    assert outcome == "failed" and len(message) == protocol.ERROR_TEXT_CHARS


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Reviewer:
    pass


def refusals(caplog: Any) -> list[str]:
    return [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]


def test_a_card_calling_in_a_loop_costs_one_line_a_minute_with_a_count(caplog: Any) -> None:
    clock = Clock()
    bridge = Bridge(clock)
    card = Reviewer()
    message = 'flipnem:{"id":1,"command":"signOut","args":{}}'
    with caplog.at_level(logging.WARNING, logger="flipnem_sync"):
        for _ in range(5000):
            reply = bridge.on_js_message((False, None), message, card)
            assert reply[1]["error"]["code"] == "refused"
        assert len(refusals(caplog)) == 1
        clock.now += REFUSAL_LOG_SECONDS
        bridge.on_js_message((False, None), message, card)
    lines = refusals(caplog)
    assert len(lines) == 2
    assert "refused 1 command(s)" in lines[0]
    assert "refused 5000 command(s)" in lines[1]
    assert bridge.refused == 5001


def test_each_view_has_its_own_minute(caplog: Any) -> None:
    bridge = Bridge(Clock())
    message = 'flipnem:{"id":1,"command":"ping","args":{}}'
    reviewer, editor = Reviewer(), Reviewer()
    with caplog.at_level(logging.WARNING, logger="flipnem_sync"):
        bridge.on_js_message((False, None), message, reviewer)
        bridge.on_js_message((False, None), message, editor)
        bridge.on_js_message((False, None), message, reviewer)
    assert len(refusals(caplog)) == 2


def test_a_reply_the_page_could_not_parse_becomes_an_error() -> None:
    bridge = Bridge()
    view = Reviewer()
    bridge.register_view(view)
    bridge.handle("ping", lambda args, v: {"at": math.nan})
    reply = bridge.on_js_message((False, None), 'flipnem:{"id":9,"command":"ping","args":{}}', view)[1]
    assert reply == protocol.reply_error(9, "internal", "the reply could not be sent")


def test_an_event_that_cannot_be_sent_is_dropped_without_raising() -> None:
    bridge = Bridge()
    sent: list[str] = []
    view = type("V", (), {"eval": lambda self, s: sent.append(s)})()
    bridge.register_view(view)
    settings = {"autoSync": True, "syncMedia": True, "periodicMedia": True, "periodicMediaMinutes": 15}
    settings["backgroundSync"] = False
    deep: Any = {}
    for _ in range(100_000):
        deep = {"d": deep}
    # each fits protocol.json's shapes, and still cannot be sent as JSON
    opened = {"profile": "p", "signedIn": True, "settings": settings, "state": deep}
    bridge.emit("profileOpened", opened)
    bridge.emit("collectionSyncFinished", {"outcome": "ok", "mediaStarted": False, "counts": "x"})
    bridge.emit("profileOpened", {**opened, "state": {"x": math.inf}})
    bridge.emit("noSuchEvent", {})
    assert len(sent) == 1  # only the ordinary one went
    assert "collectionSyncFinished" in sent[0]


def test_a_pages_words_in_anki_tooltip_are_shown_never_read_as_markup(monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from addon import commands

    shown: list[str] = []
    monkeypatch.setattr(commands, "mw", SimpleNamespace())
    monkeypatch.setattr(commands, "tooltip", lambda text, **kw: shown.append(text))
    hostile = '<img src=x onerror="alert(1)"> & <a href="https://evil.example/">sign in</a>\nagain'
    told: list[str] = []
    assert commands.notify(told, hostile) == {"shown": True}
    assert "<img" not in shown[0] and "<a " not in shown[0]
    assert shown[0] == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; "
        "&lt;a href=&quot;https://evil.example/&quot;&gt;sign in&lt;/a&gt;<br>again"
    )
    # what support reads keeps the words as they came
    assert told == [hostile]


def test_the_timer_seam_is_kept_within_its_range_and_a_stray_value_never_stops_the_add_on(caplog: Any) -> None:
    from addon.wakeups import TIMER_SCALE_RANGE, timer_scale

    assert TIMER_SCALE_RANGE == (0.001, 2.0)
    assert timer_scale(None) == 1.0 and timer_scale("") == 1.0
    assert timer_scale("0.05") == 0.05 and timer_scale(" 2 ") == 2.0
    with caplog.at_level(logging.WARNING, logger="flipnem_sync"):
        assert timer_scale("0") == 0.001
        assert timer_scale("-1") == 0.001
        assert timer_scale("1e9") == 2.0
        assert [r.getMessage() for r in caplog.records] == [
            "FLIPNEM_TIMER_SCALE 0 kept within 0.001 to 2.0",
            "FLIPNEM_TIMER_SCALE -1 kept within 0.001 to 2.0",
            "FLIPNEM_TIMER_SCALE 1e9 kept within 0.001 to 2.0",
        ]
        caplog.clear()
        for stray in ("fast", "nan", "inf", "-inf", "0x10", "1,5"):
            assert timer_scale(stray) == 1.0
        assert [r.getMessage() for r in caplog.records] == ["FLIPNEM_TIMER_SCALE ignored: not a number"] * 6
