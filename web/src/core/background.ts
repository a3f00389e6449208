// Changes go both ways while Anki is open: this device's changes a short while after the
// last one, Flipnem's once a status check has seen them; either at the next safe point.
// Owns: lastLocalChangeAt. What is owed is the queue's; what changes wait, the notices'.
import type { Core } from "./effects";
import { markWaiting } from "./notices";
import { acceptsLocalChange, countsAsLocalChange, situation } from "./policy";
import { keepPullOwed, oweBackground, owePullSync, requestCollection, takeOwedBackground } from "./queue";

/** A burst of changes (an import, another add-on adding notes) settles before a sync is owed. */
export const BACKGROUND_DELAY_MS = 10_000;

/** `kinds`: what Anki reported changed, by its own names. */
export function onLocalChange(c: Core, kinds: readonly string[]): void {
  const { s } = c;
  if (s.phase !== "open" || !s.signedIn || !countsAsLocalChange(kinds)) return;
  s.lastLocalChangeAt = c.now();
  markWaiting(c);
  if (acceptsLocalChange(situation(c))) c.out.arm(s.owed, "background", BACKGROUND_DELAY_MS, c.now());
}

/** The countdown ended: the changes are owed, and go at the next safe point. */
export function onBackgroundDue(c: Core): void {
  oweBackground(c);
  runOwedBackground(c);
}

/** Flipnem has changes this device has not: owed, when the switch is on; announced either way. */
export function owePull(c: Core): void {
  if (acceptsLocalChange(situation(c))) owePullSync(c);
  runOwedBackground(c);
}

/** What is owed in either direction goes as one sync; the queue runs it, queues it, or owes it again. */
export function runOwedBackground(c: Core): void {
  const taken = takeOwedBackground(c);
  if (!taken) return;
  requestCollection(c, taken.trigger);
  // refused for now (a safe point, a pause…): Flipnem's changes are still owed too
  keepPullOwed(c, taken.pull);
}
