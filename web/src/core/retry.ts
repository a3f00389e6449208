// Silent retries of automatic collection syncs, with backoff: the attempt count, the armed
// wakeup and the retry owed once conditions clear, kept together.
// Owns: retryAttempt and retryFor; shares owed.retry with the close.
import { retryDelayMs } from "./backoff";
import type { Core } from "./effects";
import { shouldRetry, situation } from "./policy";
import { requestCollection, unqueue } from "./queue";
import type { Trigger } from "./types";

/** After a failed sync: retry on backoff when it was an automatic sync worth retrying. */
export function retryAfterFailure(c: Core, trigger: Trigger): void {
  if (!shouldRetry(situation(c), trigger, c.triggers)) return;
  const delay = retryDelayMs(c.s.retryAttempt, c.random);
  c.s.retryAttempt += 1;
  c.s.retryFor = trigger;
  c.s.owed.retry = false;
  dropQueuedRetry(c); // the backoff supersedes it
  c.out.arm(c.s.owed, "retry", delay, c.now());
}

export function stopRetrying(c: Core): void {
  c.out.cancel(c.s.owed, "retry");
  dropQueuedRetry(c);
  c.s.owed.retry = false;
  c.s.retryAttempt = 0;
  c.s.retryFor = undefined;
}

function dropQueuedRetry(c: Core): void {
  unqueue(c, (t) => t === "retry");
}

/** The retry owed while the user was busy, paused or offline, now. */
export function runOwedRetry(c: Core): void {
  if (!c.s.owed.retry) return;
  c.s.owed.retry = false;
  requestCollection(c, "retry");
}

/** The outage that caused the backoff is probably over: the retry is owed now, from the start. */
export function resetBackoff(c: Core): void {
  c.s.retryAttempt = 0;
  if (c.s.owed.at.retry !== undefined) {
    c.out.cancel(c.s.owed, "retry");
    c.s.owed.retry = true;
  }
}

export function onNetworkBack(c: Core): void {
  resetBackoff(c);
  runOwedRetry(c);
}
