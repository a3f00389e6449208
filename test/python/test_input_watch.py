"""The input watch on a real QApplication with real Qt input (QTest on the focused widget): every
way a user's hand reaches Anki counts, and counts before Anki handles it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt6 import QtTest  # noqa: E402
from PyQt6.QtCore import QPoint, QPointF, Qt  # noqa: E402
from PyQt6.QtGui import QInputMethodEvent, QKeySequence, QShortcut, QWheelEvent  # noqa: E402
from PyQt6.QtWidgets import QApplication, QLineEdit, QWidget  # noqa: E402

from addon.sensors import InputWatch  # noqa: E402

# PyQt's stubs type QTest's static helpers as methods
QTest: Any = QtTest.QTest


class Seen:
    def __init__(self) -> None:
        self.count = 0
        self.acting = 0

    def __call__(self, acts: bool) -> None:
        self.count += 1
        self.acting += acts


@pytest.fixture
def screen() -> Iterator[tuple[QWidget, QLineEdit, Seen]]:
    app = QApplication.instance() or QApplication([])
    seen = Seen()
    watch = InputWatch(seen, parent=app)
    app.installEventFilter(watch)
    window = QWidget()
    field = QLineEdit(window)
    window.resize(300, 200)
    window.show()
    window.activateWindow()
    assert QTest.qWaitForWindowActive(window, 2000)
    try:
        yield window, field, seen
    finally:
        app.removeEventFilter(watch)
        window.close()
        watch.deleteLater()


@pytest.mark.parametrize("key", [Qt.Key.Key_S, Qt.Key.Key_Space, Qt.Key.Key_3], ids=["s", "Space", "3"])
def test_a_shortcut_key_counts_before_its_shortcut_runs(screen: tuple[QWidget, QLineEdit, Seen], key: Qt.Key) -> None:
    window, _field, seen = screen
    at_shortcut: list[int] = []
    shortcut = QShortcut(QKeySequence(key), window)
    shortcut.activated.connect(lambda: at_shortcut.append(seen.count))
    window.setFocus()
    QTest.keyClick(window, key)
    # the shortcut ran (the key never reached anyone as a KeyPress), and the watch had seen the key already
    assert len(at_shortcut) == 1
    assert at_shortcut[0] >= 1


def test_a_plain_key_counts(screen: tuple[QWidget, QLineEdit, Seen]) -> None:
    _window, field, seen = screen
    field.setFocus()
    QTest.keyClick(field, Qt.Key.Key_X)
    assert field.text() == "x"
    assert seen.count >= 1 and seen.acting == seen.count


def test_typing_through_an_input_method_counts(screen: tuple[QWidget, QLineEdit, Seen]) -> None:
    _window, field, seen = screen
    field.setFocus()
    # what an input method sends as a word is composed and committed (Japanese here)
    QApplication.sendEvent(field, QInputMethodEvent("にほ", []))
    committed = QInputMethodEvent()
    committed.setCommitString("日本")
    QApplication.sendEvent(field, committed)
    assert field.text() == "日本"
    assert seen.count == 2


def test_a_click_counts(screen: tuple[QWidget, QLineEdit, Seen]) -> None:
    window, _field, seen = screen
    QTest.mouseClick(window, Qt.MouseButton.LeftButton, pos=QPoint(10, 10))
    assert seen.count >= 1 and seen.acting >= 1


def test_the_wheel_counts(screen: tuple[QWidget, QLineEdit, Seen]) -> None:
    window, _field, seen = screen
    at = QPointF(20, 20)
    wheel = QWheelEvent(
        at,
        window.mapToGlobal(at),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(window, wheel)
    # it counts as the user there, but a wheel alone acts on nothing that needs the collection
    assert seen.count == 1 and seen.acting == 0


def test_events_that_are_not_a_user_do_not_count(screen: tuple[QWidget, QLineEdit, Seen]) -> None:
    window, _field, seen = screen
    window.resize(320, 210)
    window.update()
    window.repaint()
    QTest.qWait(50)
    assert seen.count == 0


def test_pointer_moves_count_only_while_anki_is_the_active_application() -> None:
    probe = Path(__file__).with_name("input_probe.py")
    # a display of its own without a window manager: nothing activates a window unless asked
    out = subprocess.run(
        ["xvfb-run", "-a", sys.executable, str(probe)], capture_output=True, text=True, timeout=90, check=True
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    # a pointer crossing an inactive Anki on its way to another application
    inactive, active = result["inactive"], result["active"]
    assert inactive["state"] == "ApplicationInactive", result
    assert inactive["arrived"] >= 2, result
    assert inactive["moves"] == 0, result
    # the same moves once Anki is active
    assert active["state"] == "ApplicationActive", result
    assert active["arrived"] >= 2, result
    assert active["moves"] >= 2, result
