// Closing a profile: the close sync (or why none runs), the wait for media, Skip, and the
// one continueClose that lets Anki close. Python bounds the whole close in time on its own.
// Owns: closeReason, skipMediaWait, the aborts sent at a close, and the phase once a session is open.
import type { Core } from "./effects";
import { situation, whyNotCollection } from "./policy";
import { recordSkip } from "./persisted";
import type { Running } from "./types";
import { dropQueued, forgetOwedRetry, requestCollection } from "./queue";

export function onProfileClosing(c: Core): void {
  const { s } = c;
  if (s.phase === "closing") return; // the continueClose still to come answers it
  if (s.phase !== "open") {
    c.out.do({ type: "continueClose", reason: "notOpen" });
    return;
  }
  s.phase = "closing";
  for (const timer of Object.keys(s.owed.at) as Array<keyof typeof s.owed.at>) c.out.cancel(s.owed, timer);
  forgetOwedRetry(c);
  // The close sync carries media, so a queued media sync is not needed.
  dropQueued(c, "media", "closing");
  const why = whyNotCollection(situation(c), "close", c.triggers);
  if (why) {
    recordSkip(c, "collection", "close", why);
    dropQueued(c, "collection", "closing");
    s.closeReason = why;
  } else {
    s.closeReason = "synced";
    requestCollection(c, "close");
  }
  // a check or a background sync gives way to the close as it does to the user: nothing waits for it
  const running = c.env.running;
  if (running?.kind === "collection" && c.triggers[running.trigger].atSafePoint && !running.abortSent) {
    c.out.do({ type: "abortCollection" });
    running.abortSent = true;
  }
  c.out.queueFreed = true;
}

export function onSkipCloseWait(c: Core): void {
  if (c.s.phase !== "closing") return;
  c.s.skipMediaWait = true;
  c.out.queueFreed = true;
}

/** Skip in the slow close's window: Anki closes now; Python stops what runs. What did not sync goes next time. */
export function onCloseSkipped(c: Core): void {
  if (c.s.phase !== "closing") return;
  c.s.closeReason = "skipped";
  finishClose(c);
}

/** Nothing runs and nothing waits: Anki may close. */
export function finishClose(c: Core): void {
  c.out.do({ type: "continueClose", reason: c.s.closeReason });
  c.s.phase = "closed";
}

/** The user asked not to wait for media: stop it, and close unless a close sync is queued. */
export function skipMediaWaitIfAsked(c: Core, running: Running): void {
  const { s } = c;
  if (s.phase !== "closing" || !s.skipMediaWait || running.kind !== "media") return;
  if (!running.abortSent) {
    c.out.do({ type: "abortMedia" });
    running.abortSent = true;
  }
  if (!s.owed.collection) {
    s.closeReason = "mediaWaitSkipped";
    finishClose(c);
  }
}
