// Quiet on brief failures, heard once on lasting ones: changes kept from Flipnem too long, or
// something only the user can do. Each condition is told once (the sidebar opens, Anki shows a
// tooltip), never in a dialog, and not again until it has cleared.
// Owns: whether this device's changes wait (localChanges), the watch on
// them (changesWaitingSince, lastingDue) and what the user has been told (noticed).
// The tooltip's words are Python's (addon/words.py): the core names the condition only.
import type { Core } from "./effects";
import { lastingFailure } from "./policy";
import type { Notice } from "./types";

export type Condition = Notice;

export function tell(c: Core, condition: Condition): void {
  const { s } = c;
  // not open (closing): told at the next chance instead
  if (s.noticed.includes(condition) || s.phase !== "open") return;
  s.noticed.push(condition);
  c.out.historyChanged = true; // remembered across restarts
  c.out.do({ type: "revealSidebar" });
  c.out.do({ type: "notify", about: condition });
}

/** The condition has cleared: the next time it comes, it is told again. */
export function cleared(c: Core, condition: Condition): void {
  const i = c.s.noticed.indexOf(condition);
  if (i < 0) return;
  c.s.noticed.splice(i, 1);
  c.out.historyChanged = true;
}

/** Local changes are waiting: the watch starts (measured in wall-clock time, kept across restarts). */
export function markWaiting(c: Core): void {
  const { s } = c;
  s.localChanges = true;
  if (s.changesWaitingSince !== undefined) return;
  s.changesWaitingSince = c.now();
  s.lastingDue = false;
  c.out.historyChanged = true;
  armLasting(c);
}

export function armLasting(c: Core): void {
  const { s } = c;
  if (s.changesWaitingSince === undefined || s.phase !== "open") return;
  const due = s.changesWaitingSince + s.tuning.lastingFailureMinutes * 60_000;
  c.out.arm(s.owed, "lasting", Math.max(0, due - c.now()), c.now());
}

/** Everything local reached Flipnem. */
export function clearWaiting(c: Core): void {
  const { s } = c;
  s.localChanges = false;
  if (s.changesWaitingSince !== undefined) c.out.historyChanged = true;
  s.changesWaitingSince = undefined;
  s.lastingDue = false;
  c.out.cancel(s.owed, "lasting");
  cleared(c, "lasting");
}

/** After a failure, or when the limit's timer fires: told once if changes have waited too long. */
export function watchLasting(c: Core, timerFired = false): void {
  const { s } = c;
  if (timerFired) s.lastingDue = true;
  if (lastingFailure(s, c.now(), s.lastingDue)) tell(c, "lasting");
}
