"""The restart contract's Python half. The orchestrator lives in the sidebar page, which can
crash or reload at any moment; so every event for it is numbered and kept here until the page
hands back its whole state (a snapshot) saying which event it follows. A page that says hello
gets the last snapshot and the events after it, and replays them through the same `handle`.

The page sends its snapshot and the commands it decided in one message, so a command is carried
out exactly when the state that decided it is kept. Nothing else about a page's past lives here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from . import protocol

log = logging.getLogger("flipnem_sync")
Deliver = Callable[[dict[str, Any]], None]
# a page that never comes up must not let the journal grow without end; far more than a
# session without a page produces (each review is one event)
JOURNAL_LIMIT = 20_000
# A sync command Python could not start is answered by the event that ends it, so the page's
# queue never waits for a sync that does not run. A key Anki no longer holds is a rejected key.
# A close that went on before the sync could start stopped it; it did not fail.
STOPPED = {"closing": "aborted"}
ENDS_OF_STARTS: dict[str, Callable[[str, str], tuple[str, dict[str, Any]]]] = {
    "syncCollection": lambda code, message: (
        "collectionSyncFinished",
        {
            "outcome": {"signedOut": "authFailed", **STOPPED}.get(code, "failed"),
            "message": message,
            "mediaStarted": False,
        },
    ),
    "syncMedia": lambda code, message: (
        "mediaSyncFinished",
        {"outcome": STOPPED.get(code, "failed"), "message": message},
    ),
    "chooseFullSync": lambda code, message: ("fullSyncFinished", {"outcome": "failed", "message": message}),
}


class Journal:
    def __init__(self, deliver: Deliver, clock: Callable[[], float] = time.time) -> None:
        self._deliver = deliver
        self._clock = clock
        self.seq = 0
        self.snapshot: dict[str, Any] | None = None
        self.snapshot_seq = 0
        self.events: list[dict[str, Any]] = []
        # a page has said hello and not gone since: events reach it as they come
        self.page_up = False
        self.dropped = 0

    def record(self, name: str, data: dict[str, Any]) -> None:
        """An event for the orchestrator: numbered, kept, and given to the page if one is up."""
        try:
            message = protocol.event(name, data)
        except protocol.ProtocolError as err:
            log.error("event %s not kept: %s", name, err.message)
            return
        self.seq += 1
        message.update(seq=self.seq, at=self._clock() * 1000)
        self.events.append(message)
        if len(self.events) > JOURNAL_LIMIT:
            self.events.pop(0)
            self.dropped += 1
            if self.dropped == 1:
                log.warning("no page has taken the add-on's events for a long time; the oldest go")
        if self.page_up:
            self._deliver(message)

    def hello(self) -> dict[str, Any]:
        """What a new page takes up: the last snapshot, which event it follows, and every event since."""
        self.page_up = True
        return {"snapshot": self.snapshot, "seq": self.snapshot_seq, "events": list(self.events)}

    def page_gone(self) -> None:
        self.page_up = False

    def keep(self, seq: int, snapshot: dict[str, Any]) -> None:
        """The page's state after event `seq`: the events up to it are in the snapshot now."""
        if seq < self.snapshot_seq or seq > self.seq:
            # from a page that has gone since, or numbered by no journal of this Anki
            log.warning("a snapshot after event %d was not kept (journal at %d-%d)", seq, self.snapshot_seq, self.seq)
            return
        self.snapshot = snapshot
        self.snapshot_seq = seq
        self.events = [e for e in self.events if e["seq"] > seq]

    def carry_out(self, commands: list[Any], run: Callable[[str, dict[str, Any]], Any]) -> list[str]:
        """Each command through its handler, in order; what failed is said back (a sync start as its end)."""
        problems: list[str] = []
        for command in commands:
            name = command.get("type") if isinstance(command, dict) else None
            args = {k: v for k, v in command.items() if k != "type"} if isinstance(command, dict) else {}
            try:
                if not isinstance(name, str):
                    raise protocol.ProtocolError("badCommand", "a command without a type")
                run(name, args)
            except Exception as err:  # noqa: BLE001 - each failure is said, the next command still runs
                code = err.code if isinstance(err, protocol.ProtocolError) else "failed"
                message = err.message if isinstance(err, protocol.ProtocolError) else (str(err) or type(err).__name__)
                if isinstance(name, str) and name in ENDS_OF_STARTS:
                    self.record(*ENDS_OF_STARTS[name](code, message))
                else:
                    problems.append(f"{name}: {message}")
        return problems
