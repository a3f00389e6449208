// Periodic media: a host wakeup every interval while it is wanted, whether or not the
// sidebar is shown. Paused or offline keeps the timer, so each tick records why it skipped.
// Owns: nothing of its own; the wakeup is armed through schedule.ts.
import type { Core } from "./effects";
import { requestMedia } from "./queue";
import { syncPeriodicTimer } from "./schedule";

export function onPeriodicWakeup(c: Core): void {
  requestMedia(c, "periodic");
  syncPeriodicTimer(c, false);
}
