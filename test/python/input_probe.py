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
from PyQt6.QtCore import QElapsedTimer, QEvent, QObject, QPoint  # noqa: E402
from PyQt6.QtWidgets import QApplication, QWidget  # noqa: E402

from addon.sensors import InputWatch  # noqa: E402

# PyQt's stubs type QTest's static helpers as methods
QTest: Any = QtTest.QTest

app = QApplication(sys.argv)
count = [0]
watch = InputWatch(lambda _acts: count.__setitem__(0, count[0] + 1), parent=app)
app.installEventFilter(watch)
window = QWidget()
window.resize(300, 200)
window.show()
# a busy machine maps the window late: the pointer can only cross it once it is there
exposed = QTest.qWaitForWindowExposed(window, 15000)
QTest.qWait(50)


class Arrived(QObject):
    """Counts the moves that reach the application, so a count of 0 from the watch means it saw them and let them be."""

    def __init__(self) -> None:
        super().__init__()
        self.moves = 0

    def eventFilter(self, _obj: QObject | None, event: QEvent | None) -> bool:  # noqa: N802 - Qt's name
        if event is not None and event.type() == QEvent.Type.MouseMove:
            self.moves += 1
        return False


arrived = Arrived()
app.installEventFilter(arrived)


def moved() -> dict[str, Any]:
    counted, reached = count[0], arrived.moves
    # on a busy machine the X server hands the moves back a little later: moved again until two came
    clock = QElapsedTimer()
    clock.start()
    while arrived.moves - reached < 2 and clock.elapsed() < 15000:
        QTest.mouseMove(window, QPoint(40, 40))
        QTest.mouseMove(window, QPoint(120, 90))
        wait = QElapsedTimer()
        wait.start()
        while arrived.moves - reached < 2 and wait.elapsed() < 1000:
            QTest.qWait(20)
    return {
        "state": app.applicationState().name,
        "arrived": arrived.moves - reached,
        "moves": count[0] - counted,
        "exposed": exposed,
    }


result = {"inactive": moved()}
window.activateWindow()
QTest.qWaitForWindowActive(window, 15000)
result["active"] = moved()
print(json.dumps(result))
