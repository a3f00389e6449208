import logging

import pytest

from addon.guard import guarded, run_guarded


def boom(*_args: object) -> None:
    raise RuntimeError("no")


def test_a_raising_handler_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="flipnem_sync"):
        assert guarded(boom)("x") is None
    assert "boom failed" in caplog.text


def test_results_pass_through() -> None:
    assert run_guarded(lambda a, b: a + b, 2, 3) == 5
    assert guarded(lambda: "ok")() == "ok"
