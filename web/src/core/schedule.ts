// The session's wakeups for what comes by the clock: the periodic media sync and the idle
// checks. Arming reads the settings and the situation only, so any handler may re-arm them.
// Owns: checkRound (how far the idle checks have thinned out); the two wakeups themselves are
// remembered in owed.at by Effects.
import type { Core } from "./effects";
import { checkDelayMs, periodicMs, situation, wantsPeriodicTimer } from "./policy";

/** Arms the wakeup when it is wanted, cancels it when not; `restart` counts a new interval from now. */
export function syncPeriodicTimer(c: Core, restart: boolean): void {
  const ms = periodicMs(c.s.settings);
  if (wantsPeriodicTimer(situation(c)) && ms !== undefined) {
    if (restart || c.s.owed.at.periodicMedia === undefined) c.out.arm(c.s.owed, "periodicMedia", ms, c.now());
  } else {
    c.out.cancel(c.s.owed, "periodicMedia");
  }
}

/** The user is there (or the machine woke): the idle checks start again from the shortest wait. */
export function restartChecks(c: Core): void {
  c.s.checkRound = 0;
  armCheck(c);
}

/** A check went (or is owed): the next one waits longer. */
export function nextCheck(c: Core): void {
  c.s.checkRound += 1;
  armCheck(c);
}

/** Armed while a signed-in profile is open; a pause or the network only holds the pull it owes. */
export function armCheck(c: Core): void {
  const { s } = c;
  if (s.phase === "open" && s.signedIn) c.out.arm(s.owed, "statusCheck", checkDelayMs(s.tuning, s.checkRound), c.now());
  else c.out.cancel(s.owed, "statusCheck");
}
