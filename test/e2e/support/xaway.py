"""Another application on the same X server: it opens a small window of its own and takes the
input focus (XSetInputFocus), as a window manager gives focus to the window a user clicks.
Anki stops being the active application; `xinput.py WINDOW` gives the focus back.

usage: xaway.py     (prints {"window": id} once it holds the focus, then stays until killed)
DISPLAY says which X server.
"""

from __future__ import annotations

import ctypes
import json
import sys
import time

X11 = ctypes.CDLL("libX11.so.6")
X11.XOpenDisplay.restype = ctypes.c_void_p
X11.XOpenDisplay.argtypes = [ctypes.c_char_p]
X11.XDefaultRootWindow.restype = ctypes.c_ulong
X11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
X11.XCreateSimpleWindow.restype = ctypes.c_ulong
X11.XCreateSimpleWindow.argtypes = (
    [ctypes.c_void_p, ctypes.c_ulong] + [ctypes.c_int] * 2 + [ctypes.c_uint] * 3 + [ctypes.c_ulong] * 2
)
X11.XMapRaised.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
X11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int, ctypes.c_ulong]
X11.XGetInputFocus.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_ulong), ctypes.POINTER(ctypes.c_int)]
X11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
REVERT_TO_PARENT = 2
CURRENT_TIME = 0


def main() -> None:
    display = X11.XOpenDisplay(None)
    if not display:
        raise SystemExit("no X display")
    window = X11.XCreateSimpleWindow(display, X11.XDefaultRootWindow(display), 0, 0, 200, 100, 0, 0, 0xFFFFFF)
    X11.XMapRaised(display, window)
    X11.XSync(display, 0)
    focus, revert = ctypes.c_ulong(0), ctypes.c_int(0)
    deadline = time.monotonic() + 5
    # a window takes the focus only once it is viewable: asked again until the server says it has it
    while time.monotonic() < deadline:
        X11.XSetInputFocus(display, window, REVERT_TO_PARENT, CURRENT_TIME)
        X11.XSync(display, 0)
        X11.XGetInputFocus(display, ctypes.byref(focus), ctypes.byref(revert))
        if focus.value == window:
            break
        time.sleep(0.02)
    else:
        raise SystemExit("the window never took the focus")
    print(json.dumps({"window": window, "at": time.time() * 1000}), flush=True)
    sys.stdin.read()  # held until the test ends this application


if __name__ == "__main__":
    main()
