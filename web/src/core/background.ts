// Changes go both ways while Anki is open: this device's a short while after the last one, or
// as soon as the user leaves Anki; Flipnem's when the user comes back to Anki, and by idle
// checks that thin out while nobody is there; either at a safe point.
// Owns: lastLocalChangeAt and hideFailuresUntil. What is owed is the queue's; what changes
// wait, the notices'; when the checks come, the schedule's.
import type { Core } from "./effects";
import { markWaiting } from "./notices";
import { acceptsLocalChange, countsAsLocalChange, HIDE_FAILURES_MS, situation } from "./policy";
import { keepPullOwed, oweBackground, owePullSync, requestCollection, resetBackoff, takeOwedBackground } from "./queue";
import { nextCheck, restartChecks } from "./schedule";

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

/** The user went to another application: changes waiting for their countdown go now (at a safe point). */
export function onLeft(c: Core): void {
  const { s } = c;
  if (s.phase !== "open" || s.owed.at.background === undefined) return;
  c.out.cancel(s.owed, "background");
  onBackgroundDue(c);
}

/** The user came back after a while away: Flipnem's changes come in now, at the place they are. */
export function onReturned(c: Core): void {
  if (c.s.phase !== "open") return;
  // the checks start again either way; the pull goes only where a sync may run in the background
  if (!acceptsLocalChange(situation(c))) return restartChecks(c);
  restartChecks(c);
  requestCollection(c, "return");
}

/** An idle check is due: Flipnem is asked at the next safe point, and the next check waits longer. */
export function onCheckDue(c: Core): void {
  nextCheck(c);
  // this device's changes on their way, or a retry on its backoff, ask Flipnem anyway: a check
  // adds no request of its own (and none to a server that is failing)
  const { owed } = c.s;
  const covered = owed.background || owed.retry || owed.at.background !== undefined || owed.at.retry !== undefined;
  if (!covered) owePull(c);
}

/** The machine woke (or the network came back): check now, without showing the expected failures. */
export function catchUp(c: Core): void {
  if (c.s.phase !== "open") return;
  c.env.hideFailuresUntil = c.now() + HIDE_FAILURES_MS;
  resetBackoff(c);
  restartChecks(c);
  owePull(c);
}

/** Flipnem may have changes this device has not: owed, when the switch is on. */
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
