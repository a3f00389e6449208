// Backoff for silent retries of automatic collection syncs:
// first retry after 30 s, doubling, capped at 15 min, ±20 % jitter.

export const RETRY_FIRST_MS = 30_000;
export const RETRY_CAP_MS = 15 * 60_000;
export const RETRY_JITTER = 0.2;

/** The shortest and longest delay retryDelayMs can return. */
export const RETRY_MIN_MS = Math.round(RETRY_FIRST_MS * (1 - RETRY_JITTER));
export const RETRY_MAX_MS = Math.round(RETRY_CAP_MS * (1 + RETRY_JITTER));

/** Delay before jitter; attempt 0 is the first retry after a failure. */
export function retryBaseMs(attempt: number): number {
  const n = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
  // 2 ** n overflows to Infinity for huge n, which Math.min still caps.
  return Math.min(RETRY_FIRST_MS * 2 ** n, RETRY_CAP_MS);
}

/**
 * The delay for one retry, in whole milliseconds (the host's timers take integers).
 * Jitter spreads many clients' retries after a shared outage.
 */
export function retryDelayMs(attempt: number, random: () => number): number {
  const factor = 1 - RETRY_JITTER + 2 * RETRY_JITTER * unitInterval(random());
  const delay = Math.round(retryBaseMs(attempt) * factor);
  return Math.min(Math.max(delay, RETRY_MIN_MS), RETRY_MAX_MS);
}

// A misbehaving random source must not push a delay out of bounds.
function unitInterval(x: number): number {
  if (!Number.isFinite(x)) return 0.5;
  return Math.min(Math.max(x, 0), 1);
}
