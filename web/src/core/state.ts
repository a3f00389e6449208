// A new session (one profile, from open to close) and a new environment (the host's
// situation, which survives a profile switch); their shapes are in types.ts.
// Owns: nothing; builds them. Who writes each field: owners.test.ts.
import { DEFAULT_SETTINGS, DEFAULT_TUNING } from "./defaults";
import type { Environment, Session } from "./types";

export type { Environment, Owed, Phase, Running, Session } from "./types";

export function newSession(): Session {
  return {
    phase: "notOpen",
    signedIn: false,
    authFailed: false,
    settings: { ...DEFAULT_SETTINGS },
    tuning: { ...DEFAULT_TUNING },
    history: [],
    owed: { retry: false, background: false, pull: false, at: {} },
    retryAttempt: 0,
    closeReason: "synced",
    skipMediaWait: false,
    localChanges: false,
    lastingDue: false,
    checkRound: 0,
    noticed: [],
  };
}

export function newEnvironment(): Environment {
  return {
    running: null,
    paused: false,
    place: "deckBrowser",
    quiet: true,
    active: true,
    activitySeq: 0,
    online: true,
    metered: false,
    hideFailuresUntil: 0,
  };
}
