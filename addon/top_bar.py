"""A compact status in Anki's top bar ("Flipnem ✓ 2 min"), written by the page, that shows the sidebar."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from typing import Any

from aqt import mw

log = logging.getLogger("flipnem_sync")
LINK_ID = "flipnem-sync-status"
TONES = ("ok", "busy", "waiting", "problem", "off")


class TopBar:
    def __init__(self, on_click: Callable[[], None]) -> None:
        self._on_click = on_click
        self.text = ""
        self.tip = ""
        self.tone = "off"

    def add_link(self, links: list[str], toolbar: Any) -> None:
        """Anki draws its top bar again at times (theme, profile): the link comes back with the last status."""
        link = toolbar.create_link(
            "flipnem-sync-status", html.escape(self.text or "Flipnem"), self._on_click, id=LINK_ID
        )
        # create_link puts its arguments into markup as they are: the tip is set escaped, here
        links.append(link.replace(f'id="{LINK_ID}"', f'id="{LINK_ID}" title="{html.escape(self.tip)}"', 1))
        if not self.text:
            links[-1] = links[-1].replace("<a ", '<a style="display:none" ', 1)

    def show(self, text: str, tip: str, tone: str) -> dict[str, Any]:
        self.text, self.tip, self.tone = text, tip, tone if tone in TONES else "off"
        if mw is None or mw.toolbar is None or mw.toolbar.web is None:
            return {"shown": False}
        data = json.dumps({"id": LINK_ID, "text": text, "tip": tip, "tone": self.tone})
        # text only (never markup), so nothing the page says can become part of Anki's toolbar
        mw.toolbar.web.eval(
            f"""(() => {{ const d = {data}; const a = document.getElementById(d.id); if (!a) return;
            a.textContent = d.text; a.title = d.tip; a.setAttribute("aria-label", d.text);
            a.dataset.tone = d.tone; a.style.display = d.text ? "" : "none"; }})()"""
        )
        return {"shown": True}
