// The orchestrator's state, in two parts: the session (one profile, from open to close)
// and the environment (the host's situation, which survives a profile switch).
import { DEFAULT_SETTINGS } from "./defaults";
import type { CloseReason, HistoryEntry, LastSync, Problem, RunningSync, Settings, TimerName, Trigger } from "./types";

export type Phase = "notOpen" | "open" | "closing" | "closed";

export interface Running extends RunningSync {
  abortSent?: boolean;
}

/** Everything owed, in one place: what runs next, what waits for a condition, what waits for a time. */
export interface Owed {
  /** Queued behind the running sync: the most important trigger of those that came. */
  collection?: Trigger;
  media?: Trigger;
  /** A retry owed as soon as the user is idle, unpaused and online. */
  retry: boolean;
  /** Local changes owed to Flipnem once the user is idle. */
  background: boolean;
  /** The host's armed wakeups, and when each is due. */
  at: Partial<Record<TimerName, number>>;
}

export interface Session {
  phase: Phase;
  profile?: string;
  signedIn: boolean;
  /** Signed out because the server rejected the key (not by choice). */
  authFailed: boolean;
  user?: string;
  server?: string;
  settings: Settings;
  history: HistoryEntry[];
  lastCollectionSync?: LastSync;
  lastMediaSync?: LastSync;
  owed: Owed;
  retryAttempt: number;
  problem?: Problem;
  mediaProblem?: Problem;
  closeReason: CloseReason;
  skipMediaWait: boolean;
}

export interface Environment {
  running: Running | null;
  paused: boolean;
  idle: boolean;
  online: boolean;
}

export function newSession(): Session {
  return {
    phase: "notOpen",
    signedIn: false,
    authFailed: false,
    settings: { ...DEFAULT_SETTINGS },
    history: [],
    owed: { retry: false, background: false, at: {} },
    retryAttempt: 0,
    closeReason: "synced",
    skipMediaWait: false,
  };
}

export function newEnvironment(): Environment {
  return { running: null, paused: false, idle: true, online: true };
}
