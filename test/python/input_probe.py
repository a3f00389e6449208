"""Run under Xvfb in a fresh process (the offscreen platform makes every shown window active):
what the add-on's input watch counts of pointer moves, on a real QApplication, before and after
its window becomes the active one. Prints JSON."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

os.environ["QT_QPA_PLATFORM"] = "xcb"
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PyQt6 import QtTest  # noqa: E402
from PyQt6.QtCore import QPoint  # noqa: E402
from PyQt6.QtWidgets import QApplication, QWidget  # noqa: E402

from addon.sensors import InputWatch  # noqa: E402

# PyQt's stubs type QTest's static helpers as methods
QTest: Any = QtTest.QTest

app = QApplication(sys.argv)
count = [0]
watch = InputWatch(lambda: count.__setitem__(0, count[0] + 1), parent=app)
app.installEventFilter(watch)
window = QWidget()
window.resize(300, 200)
window.show()
QTest.qWaitForWindowExposed(window, 2000)
QTest.qWait(50)


def moved() -> int:
    before = count[0]
    QTest.mouseMove(window, QPoint(40, 40))
    QTest.mouseMove(window, QPoint(120, 90))
    return count[0] - before


result = {"inactive": {"state": app.applicationState().name, "moves": moved()}}
window.activateWindow()
QTest.qWaitForWindowActive(window, 2000)
result["active"] = {"state": app.applicationState().name, "moves": moved()}
print(json.dumps(result))
