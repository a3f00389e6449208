"""A compact status in Anki's top bar ("Flipnem ✓ 2 min"), written by the page, that shows the sidebar."""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from typing import Any

from aqt import gui_hooks, mw

from .guard import guarded

log = logging.getLogger("flipnem_sync")
LINK_ID = "flipnem-sync-status"
TONES = ("ok", "busy", "waiting", "problem", "off")
# below NARROW_PX Anki's own links need the room: the status shrinks to its symbol (its full
# words stay its accessible name and its tip); below HIDDEN_PX Anki's links fill the top bar
# and even the symbol would push them, so it steps aside (the sidebar's shortcut remains)
NARROW_PX = 760
HIDDEN_PX = 479
STYLE = f"""<style>
#{LINK_ID} .flipnem-short {{ display: none; }}
@media (max-width: {NARROW_PX}px) {{
  #{LINK_ID} .flipnem-long {{ display: none; }}
  #{LINK_ID} .flipnem-short {{ display: inline; }}
}}
@media (max-width: {HIDDEN_PX}px) {{
  #{LINK_ID} {{ display: none !important; }}
}}
</style>"""


class TopBar:
    def __init__(self, on_click: Callable[[], None]) -> None:
        self._on_click = on_click
        self.text = ""
        self.short = ""
        self.tip = ""
        self.tone = "off"

    def install(self) -> None:
        gui_hooks.top_toolbar_did_init_links.append(guarded(self.add_link))
        gui_hooks.webview_will_set_content.append(guarded(self.add_style))

    def add_link(self, links: list[str], toolbar: Any) -> None:
        """Anki draws its top bar again at times (theme, profile): the link comes back with the last status."""
        text = html.escape(self.text or "Flipnem")
        link = toolbar.create_link("flipnem-sync-status", text, self._on_click, id=LINK_ID)
        # create_link puts its arguments into markup as they are (the label into aria-label too):
        # the words and the tip are set escaped, here, and the label's two forms inside the link
        short = html.escape(self.short or "F")
        both = f'<span class="flipnem-long">{text}</span><span class="flipnem-short" aria-hidden="true">{short}</span>'
        at = link.rfind(f">{text}</a>")
        if at >= 0:
            link = f"{link[:at]}>{both}</a>{link[at + len(text) + 5 :]}"
        links.append(link.replace(f'id="{LINK_ID}"', f'id="{LINK_ID}" title="{html.escape(self.tip)}"', 1))
        if not self.text:
            links[-1] = links[-1].replace("<a ", '<a style="display:none" ', 1)

    def add_style(self, web_content: Any, context: Any) -> None:
        """Anki's top bar gets the rule that shortens the status in a narrow window."""
        from aqt.toolbar import TopToolbar

        if isinstance(context, TopToolbar):
            web_content.head += STYLE

    def show(self, text: str, tip: str, tone: str, short: str = "") -> dict[str, Any]:
        self.text, self.short, self.tip, self.tone = text, short, tip, tone if tone in TONES else "off"
        if mw is None or mw.toolbar is None or mw.toolbar.web is None:
            return {"shown": False}
        data = json.dumps({"id": LINK_ID, "text": text, "short": short, "tip": tip, "tone": self.tone})
        # text only (never markup), so nothing the page says can become part of Anki's toolbar
        mw.toolbar.web.eval(
            f"""(() => {{ const d = {data}; const a = document.getElementById(d.id); if (!a) return;
            const long = a.querySelector(".flipnem-long"), short = a.querySelector(".flipnem-short");
            if (long && short) {{ long.textContent = d.text; short.textContent = d.short; }} else a.textContent = d.text;
            a.title = d.tip; a.setAttribute("aria-label", d.text);
            a.dataset.tone = d.tone; a.style.display = d.text ? "" : "none"; }})()"""
        )
        return {"shown": True}
