// Silent retries of automatic collection syncs: the retry owed while the user was busy,
// paused or offline runs once it may. The backoff itself (attempts, wakeup) is the queue's.
// Owns: nothing of its own; it asks the queue.
import type { Core } from "./effects";
import { requestCollection, resetBackoff, takeOwedRetry } from "./queue";

/** The retry owed while the user was busy, paused or offline, now. */
export function runOwedRetry(c: Core): void {
  if (takeOwedRetry(c)) requestCollection(c, "retry");
}

export function onNetworkBack(c: Core): void {
  resetBackoff(c);
  runOwedRetry(c);
}
