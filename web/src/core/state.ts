// The orchestrator's state, in two parts: the session (one profile, from open to close)
// and the environment (the host's situation, which survives a profile switch).
// Owns: nothing; builds a new session and environment. Who writes each field: owners.test.ts.
import { DEFAULT_SETTINGS } from "./defaults";
import { DEFAULT_TUNING } from "./defaults";
import type {
  CloseReason,
  HistoryEntry,
  LastSync,
  Place,
  Problem,
  RunningSync,
  Settings,
  SkipReason,
  TimerName,
  Trigger,
  Tuning,
} from "./types";

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
  /** Local changes owed to Flipnem at the next safe point. */
  background: boolean;
  /** Flipnem's changes owed to Anki at the next safe point. */
  pull: boolean;
  /** A status check that came while the queue was busy. */
  status: boolean;
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
  /** Add-on-wide timings and the metered switch (config.json). */
  tuning: Tuning;
  history: HistoryEntry[];
  lastCollectionSync?: LastSync;
  lastMediaSync?: LastSync;
  owed: Owed;
  /** The reason an owed sync was last recorded as waiting for (paused, offline, metered). */
  waitingFor?: SkipReason;
  retryAttempt: number;
  problem?: Problem;
  mediaProblem?: Problem;
  closeReason: CloseReason;
  skipMediaWait: boolean;
  /** What the last status check learnt: Flipnem has changes, or this device has. */
  remoteChanges: boolean;
  localChanges: boolean;
  lastLocalChangeAt?: number;
  lastCheckAt?: number;
  /** This session's status check is out (an answer to an earlier profile's is not this one's). */
  checkOut: boolean;
  /** What the armed retry would send, so turning the switch off can drop a retry of a background sync. */
  retryFor?: Trigger;
  /** Wall-clock time since local changes have waited for a sync that keeps failing (kept across restarts). */
  changesWaitingSince?: number;
  /** The lasting-failure limit has passed (by its timer) since changes began to wait. */
  lastingDue: boolean;
  /** Conditions the user has already been told about once (kept across restarts). */
  noticed: string[];
  /** A one-time line in the sidebar (e.g. the switch turned on by an upgrade), until dismissed. */
  notice?: string;
}

export interface Environment {
  running: Running | null;
  /** A status check is out: the queue is busy, but nothing syncs. */
  checking: boolean;
  paused: boolean;
  /** Wall-clock end of a timed pause; none while paused means until Anki restarts. */
  pausedUntil?: number;
  /** Where the user is in Anki, and whether they have left keyboard and mouse alone for the idle time. */
  place: Place;
  quiet: boolean;
  /** Counts the activity reports, so a fact about "since the last one" needs no write to `quiet`. */
  activitySeq: number;
  /** The user came back during a sync at a safe point (its activity count then): not quiet until the next report. */
  backAtActivity?: number;
  online: boolean;
  metered: boolean;
  /** After a wake or the network's return, failures until then are retried without being shown. */
  hideFailuresUntil: number;
}

export function newSession(): Session {
  return {
    phase: "notOpen",
    signedIn: false,
    authFailed: false,
    settings: { ...DEFAULT_SETTINGS },
    tuning: { ...DEFAULT_TUNING },
    history: [],
    owed: { retry: false, background: false, pull: false, status: false, at: {} },
    retryAttempt: 0,
    closeReason: "synced",
    skipMediaWait: false,
    remoteChanges: false,
    localChanges: false,
    lastingDue: false,
    checkOut: false,
    noticed: [],
  };
}

export function newEnvironment(): Environment {
  return {
    running: null,
    checking: false,
    paused: false,
    place: "deckBrowser",
    quiet: true,
    activitySeq: 0,
    online: true,
    metered: false,
    hideFailuresUntil: 0,
  };
}
