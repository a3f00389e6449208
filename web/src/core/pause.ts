// Pause: for an hour, until tomorrow, or until Anki restarts. It holds every automatic sync,
// open and close included, never Sync now; a timed pause ends by itself (wall-clock time).
// Owns: paused and pausedUntil. What the pause held runs at its end, called by the orchestrator.
import type { Core } from "./effects";

export function onPauseChanged(c: Core, paused: boolean, until?: number): void {
  const { env } = c;
  const before = env.pausedUntil;
  env.paused = paused;
  env.pausedUntil = paused && typeof until === "number" ? until : undefined;
  // a timed pause outlives Anki: it is saved with the profile's state
  if (env.pausedUntil !== before) c.out.historyChanged = true;
  armPauseEnd(c);
}

/** A timed pause set before Anki last closed holds until its end. */
export function restorePause(c: Core, pausedUntil: number | undefined): void {
  const { env } = c;
  if (pausedUntil === undefined || pausedUntil <= c.now() || env.paused) return;
  env.paused = true;
  env.pausedUntil = pausedUntil;
}

/** The profile's timer for a timed pause's end (a pause outlives a profile; timers do not). */
export function armPauseEnd(c: Core): void {
  const { env, s } = c;
  if (env.paused && env.pausedUntil !== undefined && s.phase === "open") {
    c.out.arm(s.owed, "pauseEnds", Math.max(0, env.pausedUntil - c.now()), c.now());
  } else {
    c.out.cancel(s.owed, "pauseEnds");
  }
}

/** A timed pause that is over: its timer fired, or the wall clock passed it during a sleep. */
export function pauseOver(c: Core, timerFired = false): boolean {
  const { env } = c;
  if (!env.paused || env.pausedUntil === undefined) return false;
  return timerFired || c.now() >= env.pausedUntil;
}
