"""The open hold on a real QApplication: Qt's own events run meanwhile, and the hold ends when the
page has answered or at its bound. That the user's keys wait in the queue (XTest keys, which an
offscreen Qt cannot make) is shown in real Anki: moments.e2e.ts, Study Now as Anki opens."""

from __future__ import annotations

import os
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt6.QtCore import QTimer  # noqa: E402
from PyQt6.QtWidgets import QApplication  # noqa: E402

from addon.open_hold import hold_until  # noqa: E402


@pytest.fixture
def app() -> QApplication:
    found = QApplication.instance()
    return found if isinstance(found, QApplication) else QApplication([])


def test_the_hold_ends_once_the_page_has_answered_while_qts_own_events_ran(app: QApplication) -> None:
    answered = [False]
    # the page's answer arrives as one of Qt's own events (a timer here, the web channel in Anki)
    QTimer.singleShot(150, lambda: answered.__setitem__(0, True))
    held = hold_until(lambda: answered[0], seconds=5)
    assert 0.1 <= held < 2


def test_a_page_that_never_answers_holds_no_longer_than_the_bound(app: QApplication) -> None:
    began = time.monotonic()
    held = hold_until(lambda: False, seconds=0.3)
    assert 0.3 <= held < 1.5
    assert time.monotonic() - began < 1.5


def test_an_answer_already_there_holds_nothing(app: QApplication) -> None:
    assert hold_until(lambda: True) == 0.0
