// Periodic media: a host wakeup every interval while it is wanted, whether or not the
// sidebar is shown. Paused or offline keeps the timer, so each tick records why it skipped.
// Owns: nothing of its own; it arms the periodic media wakeup.
import type { Core } from "./effects";
import { periodicMs, situation, wantsPeriodicTimer } from "./policy";
import { requestMedia } from "./queue";

/** Arms the wakeup when it is wanted, cancels it when not; `restart` counts a new interval from now. */
export function syncPeriodicTimer(c: Core, restart: boolean): void {
  const ms = periodicMs(c.s.settings);
  if (wantsPeriodicTimer(situation(c)) && ms !== undefined) {
    if (restart || c.s.owed.at.periodicMedia === undefined) c.out.arm(c.s.owed, "periodicMedia", ms, c.now());
  } else {
    c.out.cancel(c.s.owed, "periodicMedia");
  }
}

export function onPeriodicWakeup(c: Core): void {
  requestMedia(c, "periodic");
  syncPeriodicTimer(c, false);
}
