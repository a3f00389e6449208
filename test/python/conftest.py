import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# the add-on is imported as a package, as Anki does; importing it outside Anki starts nothing
sys.path.insert(0, str(ROOT))


@pytest.fixture
def fake_qt(monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt's timers and Anki's main window as fakes where the add-on's modules use them."""
    from addon import close, sensors, wakeups

    from .fakes import FakeTimer, fake_mw, skip_windows

    FakeTimer.made.clear()
    FakeTimer.single_shots.clear()
    for module in (wakeups, close, sensors):
        monkeypatch.setattr(module, "QTimer", FakeTimer)
        monkeypatch.setattr(module, "mw", fake_mw())
    # no Qt widgets outside Anki: the Skip window is a stand-in
    skip_windows(monkeypatch)
