"""The status in Anki's top bar."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from .fakes import fake_mw


def test_the_top_bar_link_never_turns_the_pages_words_into_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    from addon import top_bar

    evals: list[str] = []
    mw = fake_mw(toolbar=SimpleNamespace(web=SimpleNamespace(eval=evals.append)))
    monkeypatch.setattr(top_bar, "mw", mw)
    clicks: list[bool] = []
    bar = top_bar.TopBar(lambda: clicks.append(True))
    toolbar = SimpleNamespace(
        link_handlers={},
        create_link=lambda cmd, label, func, tip=None, id=None: f'<a id="{id}" onclick="{cmd}">{label}</a>',
    )
    links: list[str] = []
    bar.add_link(links, toolbar)
    assert 'style="display:none"' in links[0]
    hostile = '<img src=x onerror="alert(1)">'
    assert bar.show(hostile, '" onmouseover="x', "ok") == {"shown": True}
    assert "textContent = d.text" in evals[0] and '\\"' in evals[0]
    links = []
    bar.add_link(links, toolbar)
    assert "<img" not in links[0] and "&lt;img" in links[0]
    assert 'title="&quot; onmouseover=&quot;x"' in links[0]
    assert bar.show("Flipnem", "", "not a tone")["shown"] and bar.tone == "off"
