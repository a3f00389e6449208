"""Words shown in Anki's rich-text widgets (its tooltip is one): shown as they are, never as markup."""

from __future__ import annotations

import html


def escape(text: str) -> str:
    """`text` for a rich-text widget: a page's words or a file path can carry `<`, `&` or quotes; lines stay lines."""
    return html.escape(text).replace("\n", "<br>")
