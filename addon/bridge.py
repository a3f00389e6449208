"""Routes `pycmd` messages from the add-on's own pages to handlers; refuses all others.

Card templates run JavaScript inside Anki's reviewer and can call `pycmd` too, so a
message is only obeyed when it comes from a view this bridge registered.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from typing import Any

from . import protocol

log = logging.getLogger("flipnem_sync")

Handler = Callable[[dict[str, Any], Any], Any]
# a card calling pycmd in a loop costs one log line per view per minute, not one per call
REFUSAL_LOG_SECONDS = 60.0
REFUSAL_VIEWS_KEPT = 64


class Bridge:
    def __init__(self, clock: Callable[[], float] = time.monotonic, strict: bool | None = None) -> None:
        # strict: a reply that does not fit protocol.json is refused rather than only logged
        self._strict = os.environ.get("FLIPNEM_STRICT_PROTOCOL") == "1" if strict is None else strict
        self._views: list[Any] = []
        self._handlers: dict[str, Handler] = {}
        self.refused = 0
        self._clock = clock
        # per refused view: when its last line was logged, and refusals since then
        self._refusals: dict[int, tuple[float, int]] = {}

    def register_view(self, view: Any) -> None:
        if view not in self._views:
            self._views.append(view)

    def unregister_view(self, view: Any) -> None:
        if view in self._views:
            self._views.remove(view)

    def handle(self, command: str, handler: Handler) -> None:
        if command not in protocol.DEFINITION["commands"]:
            raise ValueError(f"{command} is not in protocol.json")
        self._handlers[command] = handler

    def on_js_message(self, handled: tuple[bool, Any], message: str, context: Any) -> tuple[bool, Any]:
        """The webview_did_receive_js_message hook; never raises into Anki."""
        try:
            if not protocol.is_bridge_message(message):
                return handled
            if context not in self._views:
                self._note_refusal(context)
                return (True, protocol.reply_error(None, "refused", "not an add-on page"))
            return (True, self._sendable(self.dispatch(message, context)))
        except Exception:  # noqa: BLE001 - a hook must never raise into Anki
            log.exception("bridge failure")
            return (True, protocol.reply_error(None, "internal", "internal error"))

    def _note_refusal(self, context: Any) -> None:
        self.refused += 1
        now, key = self._clock(), id(context)
        logged_at, since = self._refusals.get(key, (None, 0))
        since += 1
        if logged_at is not None and now - logged_at < REFUSAL_LOG_SECONDS:
            self._refusals[key] = (logged_at, since)
            return
        log.warning("refused %d command(s) from %s: not an add-on page", since, type(context).__name__)
        if key not in self._refusals and len(self._refusals) >= REFUSAL_VIEWS_KEPT:
            del self._refusals[next(iter(self._refusals))]
        self._refusals[key] = (now, 0)

    @staticmethod
    def _sendable(reply: dict[str, Any]) -> dict[str, Any]:
        """A reply the page can parse; one that is not (NaN, a cycle) becomes an error, never a hung page."""
        try:
            protocol.to_json(reply)
        except (ValueError, TypeError, RecursionError):
            log.error("a reply to the page could not be sent as JSON")
            return protocol.reply_error(reply.get("id"), "internal", "the reply could not be sent")
        return reply

    def dispatch(self, message: str, view: Any) -> dict[str, Any]:
        try:
            request = protocol.parse_request(message)
        except protocol.ProtocolError as err:
            log.warning("bad message from page: %s", err.message)
            return protocol.reply_error(protocol.request_id(message), err.code, err.message)
        handler = self._handlers.get(request.command)
        if handler is None:
            return protocol.reply_error(request.id, "unavailable", f"{request.command} is not available now")
        try:
            result = handler(request.args, view)
        except protocol.ProtocolError as err:
            return protocol.reply_error(request.id, err.code, err.message)
        except Exception as err:  # noqa: BLE001 - errors travel to the page as data
            log.exception("%s failed", request.command)
            return protocol.reply_error(request.id, "failed", str(err) or type(err).__name__)
        problem = protocol.reply_problem(request.command, result)
        if problem:
            log.error("a reply does not fit protocol.json: %s", problem)
            if self._strict:
                return protocol.reply_error(request.id, "internal", problem)
        return protocol.reply_ok(request.id, result)

    def run(self, command: str, args: dict[str, Any], view: Any) -> Any:
        """One command the page handed over inside another message, checked as a request of its own."""
        commands = protocol.DEFINITION["commands"]
        handler = self._handlers.get(command)
        if command not in commands or handler is None:
            raise protocol.ProtocolError("unknownCommand", f"unknown command {command[:40]!r}")
        protocol.check_fields(commands[command], args, command)
        return handler(args, view)

    def deliver(self, message: dict[str, Any], only: Any = None) -> None:
        """An event already built (and numbered) to every registered page (or one); never raises into the caller."""
        try:
            script = protocol.event_script(message)
        except (ValueError, TypeError, RecursionError) as err:
            log.error("event %s not sent: %s", message.get("event"), type(err).__name__)
            return
        for view in self._views:
            if only is None or view is only:
                try:
                    view.eval(script)
                except Exception:  # noqa: BLE001 - a closing view must not break the others
                    log.exception("could not deliver %s", message.get("event"))

    def emit(self, name: str, data: dict[str, Any], only: Any = None) -> None:
        """Push an event to every registered page (or one); never raises into the caller."""
        try:
            message = protocol.event(name, data)
        except (protocol.ProtocolError, ValueError, TypeError, RecursionError) as err:
            log.error("event %s not sent: %s", name, getattr(err, "message", None) or type(err).__name__)
            return
        self.deliver(message, only)
