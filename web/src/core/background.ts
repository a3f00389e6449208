// Local changes go to Flipnem a while after the last one, once the user is idle.
import { situation, type Core } from "./core";
import { acceptsLocalChange, countsAsLocalChange, whyNotCollection } from "./policy";

/** How long after the last local change a background sync waits (a host timer). */
export const BACKGROUND_DELAY_MS = 2 * 60_000;

/** `kinds`: what Anki reported changed, by its own names. */
export function onLocalChange(c: Core, kinds: readonly string[]): void {
  if (!acceptsLocalChange(situation(c)) || !countsAsLocalChange(kinds)) return;
  c.out.arm(c.s.owed, "background", BACKGROUND_DELAY_MS, c.now());
}

/** The countdown ended: the changes are owed, and go as soon as the user is idle. */
export function onBackgroundDue(c: Core): void {
  c.s.owed.background = true;
  runOwedBackground(c);
}

export function runOwedBackground(c: Core): void {
  if (!c.s.owed.background) return;
  if (whyNotCollection(situation(c), "background") === "notIdle") return; // still owed
  c.s.owed.background = false;
  c.requestCollection("background");
}

/** Whatever changed locally has just gone to Flipnem, or may no longer go in the background. */
export function dropBackground(c: Core): void {
  c.s.owed.background = false;
  c.out.cancel(c.s.owed, "background");
}
