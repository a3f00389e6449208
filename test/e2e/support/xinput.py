"""A user's keys, entering through the X server as a keyboard's do (XTest), into Anki's main
window: the window gets the input focus first, as a window manager gives it on a click.

usage: xinput.py WINDOW_ID [KEY ...] [--gap-ms N]
KEY is an X keysym name (s, d, a, y, space, 1..4, Escape, Tab), with modifiers held as a
keyboard holds them: ctrl+shift+y, shift+Tab, alt+t. Prints when each key went, as JSON.
With no key, it only gives Anki's window the focus back (the user returns to Anki). WINDOW_ID
0 leaves the focus where it is (keys go to the window the user is in, a dialog for example).
DISPLAY says which X server.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import time

X11 = ctypes.CDLL("libX11.so.6")
XTST = ctypes.CDLL("libXtst.so.6")
X11.XOpenDisplay.restype = ctypes.c_void_p
X11.XOpenDisplay.argtypes = [ctypes.c_char_p]
X11.XStringToKeysym.restype = ctypes.c_ulong
X11.XStringToKeysym.argtypes = [ctypes.c_char_p]
X11.XKeysymToKeycode.restype = ctypes.c_ubyte
X11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
X11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
X11.XRaiseWindow.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
X11.XFlush.argtypes = [ctypes.c_void_p]
X11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
X11.XCloseDisplay.argtypes = [ctypes.c_void_p]
XTST.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_ulong]
REVERT_TO_PARENT = 2
CURRENT_TIME = 0
MODIFIERS = {"ctrl": "Control_L", "shift": "Shift_L", "alt": "Alt_L", "meta": "Super_L"}


def keycode(display: int, name: str) -> int:
    code = X11.XKeysymToKeycode(display, X11.XStringToKeysym(name.encode()))
    if not code:
        raise SystemExit(f"no key for {name}")
    return int(code)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("window", type=int)
    parser.add_argument("keys", nargs="*")
    parser.add_argument("--gap-ms", type=int, default=150)
    args = parser.parse_args()
    display = X11.XOpenDisplay(None)
    if not display:
        raise SystemExit("no X display")
    try:
        if args.window:
            X11.XRaiseWindow(display, args.window)
            X11.XSetInputFocus(display, args.window, REVERT_TO_PARENT, CURRENT_TIME)
            X11.XSync(display, 0)
        focused = time.time() * 1000
        if args.keys and args.window:
            time.sleep(0.2)
        sent = []
        for spec in args.keys:
            *held, name = spec.split("+") if spec != "+" else ["+"]
            codes = [keycode(display, MODIFIERS[m.lower()]) for m in held]
            code = keycode(display, name)
            sent.append(time.time() * 1000)
            for c in codes:
                XTST.XTestFakeKeyEvent(display, c, 1, CURRENT_TIME)
            XTST.XTestFakeKeyEvent(display, code, 1, CURRENT_TIME)
            XTST.XTestFakeKeyEvent(display, code, 0, CURRENT_TIME)
            for c in reversed(codes):
                XTST.XTestFakeKeyEvent(display, c, 0, CURRENT_TIME)
            X11.XSync(display, 0)
            time.sleep(args.gap_ms / 1000)
        print(json.dumps({"sent": sent, "focused": focused}))
    finally:
        X11.XCloseDisplay(display)


if __name__ == "__main__":
    main()
