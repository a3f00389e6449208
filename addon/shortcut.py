"""What the sidebar's shortcut may be: one key combination that Anki's main window does not already use."""

from __future__ import annotations

from typing import Any

from aqt.qt import QAction, QKeySequence, QShortcut, Qt

PORTABLE = QKeySequence.SequenceFormat.PortableText
# Anki's own keys on its main window: Decks, Study, Add, Browse, Stats, Sync
ANKI_KEYS = {"D": "Decks", "S": "Study", "A": "Add", "B": "Browse", "T": "Stats", "Y": "Sync"}
_MODIFIERS = {
    Qt.Key.Key_Control,
    Qt.Key.Key_Shift,
    Qt.Key.Key_Alt,
    Qt.Key.Key_Meta,
    Qt.Key.Key_AltGr,
    Qt.Key.Key_unknown,
}
_HOLD = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
EXAMPLE = "such as Ctrl+Shift+Y"


def normal(text: str) -> str:
    """The shortcut as Qt writes it (`ctrl+shift+y` is `Ctrl+Shift+Y`); empty when Qt cannot read it."""
    return QKeySequence.fromString(text.strip(), PORTABLE).toString(PORTABLE)


def shortcut_problem(value: Any, taken: dict[str, str]) -> str | None:
    """None when `value` can be the sidebar's shortcut, else what is wrong, in words for the user.

    `taken`: the shortcuts Anki's window uses now (as `normal` writes them), each with what it does.
    """
    if not isinstance(value, str) or not value.strip():
        return f"Type a shortcut, {EXAMPLE}."
    keys = QKeySequence.fromString(value.strip(), PORTABLE)
    if keys.count() != 1:
        return f"The shortcut must be one key with its modifiers, {EXAMPLE}."
    combination = keys[0]
    key = combination.key()
    if key in _MODIFIERS or not keys.toString(PORTABLE):
        return f"“{value.strip()}” is not a key Anki can use; type one {EXAMPLE}."
    text = keys.toString(PORTABLE)
    letter = text.rsplit("+", 1)[-1]
    held = combination.keyboardModifiers()
    modifiers = text.count("+") - (1 if letter == "" else 0)
    if letter in ANKI_KEYS and modifiers < 2:
        return f"{text} is too close to {letter}, Anki's {ANKI_KEYS[letter]} key: add a second modifier, {EXAMPLE}."
    if text in taken:
        return f"{text} is Anki's {taken[text]} already; choose another."
    printable = Qt.Key.Key_Space <= key <= Qt.Key.Key_AsciiTilde
    if printable and not held & _HOLD:
        return f"A letter, number or sign needs Ctrl, Alt or Meta with it (plain keys are Anki's while you study), {EXAMPLE}."
    return None


def taken_in(window: Any, ours: Any) -> dict[str, str]:
    """The shortcuts of `window`'s menus, actions and shortcuts (not `ours`), and its menus' Alt keys."""
    taken: dict[str, str] = {}
    for action in window.findChildren(QAction):
        if action is ours:
            continue
        name = action.text().replace("&", "").rstrip(".…") or "own"
        for keys in action.shortcuts():
            taken.setdefault(keys.toString(PORTABLE), name)
    for shortcut in window.findChildren(QShortcut):
        taken.setdefault(shortcut.key().toString(PORTABLE), "own")
    menubar = getattr(getattr(window, "form", None), "menubar", None)
    for menu in menubar.actions() if menubar is not None else []:
        title = menu.text()
        at = title.find("&")
        if 0 <= at < len(title) - 1:
            taken.setdefault(f"Alt+{title[at + 1].upper()}", f"{title.replace('&', '')} menu")
    taken.pop("", None)
    return taken
