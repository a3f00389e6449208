// The session's wakeups for what comes by the clock: the periodic media sync and the status
// check. Arming reads the settings and the situation only, so any handler may re-arm them.
// Owns: nothing of its own; it arms these two wakeups (each remembered in owed.at by Effects).
import type { Core } from "./effects";
import { periodicMs, situation, statusCheckMs, wantsPeriodicTimer } from "./policy";

/** Arms the wakeup when it is wanted, cancels it when not; `restart` counts a new interval from now. */
export function syncPeriodicTimer(c: Core, restart: boolean): void {
  const ms = periodicMs(c.s.settings);
  if (wantsPeriodicTimer(situation(c)) && ms !== undefined) {
    if (restart || c.s.owed.at.periodicMedia === undefined) c.out.arm(c.s.owed, "periodicMedia", ms, c.now());
  } else {
    c.out.cancel(c.s.owed, "periodicMedia");
  }
}

export function armStatusCheck(c: Core, delayMs = statusCheckMs(c.s.tuning)): void {
  const { s } = c;
  if (s.phase === "open" && s.signedIn) c.out.arm(s.owed, "statusCheck", delayMs, c.now());
  else c.out.cancel(s.owed, "statusCheck");
}
