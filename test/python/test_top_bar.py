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


def test_the_top_bar_link_has_a_short_form_for_a_narrow_window(monkeypatch: pytest.MonkeyPatch) -> None:
    from addon import top_bar

    evals: list[str] = []
    monkeypatch.setattr(top_bar, "mw", fake_mw(toolbar=SimpleNamespace(web=SimpleNamespace(eval=evals.append))))
    bar = top_bar.TopBar(lambda: None)
    bar.show("Flipnem ✓ <2 min>", "In step", "ok", "✓")
    toolbar = SimpleNamespace(
        create_link=lambda cmd, label, func, tip=None, id=None: (
            f'<a class=hitem aria-label="{label}" id="{id}" onclick="{cmd}">{label}</a>'
        ),
    )
    links: list[str] = []
    bar.add_link(links, toolbar)
    assert links[0] == (
        '<a class=hitem aria-label="Flipnem ✓ &lt;2 min&gt;" id="flipnem-sync-status" title="In step"'
        ' onclick="flipnem-sync-status"><span class="flipnem-long">Flipnem ✓ &lt;2 min&gt;</span>'
        '<span class="flipnem-short" aria-hidden="true">✓</span></a>'
    )
    assert '"short": "\\u2713"' in evals[0]
    # the rule that picks the form goes into Anki's top bar only
    from aqt.toolbar import Toolbar, TopToolbar

    content = SimpleNamespace(head="")
    bar.add_style(content, object())
    bar.add_style(content, Toolbar.__new__(Toolbar))
    assert content.head == ""
    bar.add_style(content, TopToolbar.__new__(TopToolbar))
    assert "@media (max-width: 760px)" in content.head
