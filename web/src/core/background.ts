// Changes go both ways while Anki is open: this device's changes a short while after the
// last one, Flipnem's once a status check has seen them; either at the next safe point.
// Owns: owed.pull and lastLocalChangeAt; shares remoteChanges, localChanges and owed.background (see owners.test.ts).
import type { Core } from "./effects";
import { acceptsLocalChange, countsAsLocalChange, situation } from "./policy";
import { clearWaiting, markWaiting } from "./notices";
import { requestCollection, unqueue } from "./queue";

/** A burst of changes (an import, another add-on adding notes) settles before a sync is owed. */
export const BACKGROUND_DELAY_MS = 10_000;

/** `kinds`: what Anki reported changed, by its own names. */
export function onLocalChange(c: Core, kinds: readonly string[]): void {
  const { s } = c;
  if (s.phase !== "open" || !s.signedIn || !countsAsLocalChange(kinds)) return;
  s.localChanges = true;
  s.lastLocalChangeAt = c.now();
  markWaiting(c);
  if (acceptsLocalChange(situation(c))) c.out.arm(s.owed, "background", BACKGROUND_DELAY_MS, c.now());
}

/** The countdown ended: the changes are owed, and go at the next safe point. */
export function onBackgroundDue(c: Core): void {
  c.s.owed.background = true;
  runOwedBackground(c);
}

/** Flipnem has changes this device has not: owed, when the switch is on; announced either way. */
export function owePull(c: Core): void {
  if (acceptsLocalChange(situation(c))) c.s.owed.pull = true;
  runOwedBackground(c);
}

/** What is owed in either direction goes as one sync; the queue runs it, queues it, or owes it again. */
export function runOwedBackground(c: Core): void {
  const { owed } = c.s;
  if (!owed.background && !owed.pull) return;
  const trigger = owed.background ? "background" : "pull";
  const pull = owed.pull;
  owed.background = false;
  owed.pull = false;
  requestCollection(c, trigger);
  // refused for now (a safe point, a pause…): Flipnem's changes are still owed too
  if (owed.background) owed.pull ||= pull;
}

/** Everything went both ways. A change made while the sync ran is still owed. */
export function inStep(c: Core, syncStartedAt: number): void {
  const { s } = c;
  s.remoteChanges = false;
  s.owed.pull = false;
  if ((s.lastLocalChangeAt ?? -Infinity) > syncStartedAt) return;
  s.localChanges = false;
  dropBackground(c);
  unqueue(c, (t) => c.triggers[t].needsBackgroundSwitch);
  clearWaiting(c);
}

/** Local changes may no longer go in the background (the switch, or auto sync, turned off). */
export function dropBackground(c: Core): void {
  c.s.owed.background = false;
  c.s.owed.pull = false;
  c.out.cancel(c.s.owed, "background");
}
