// The orchestrator's vocabulary: what the host tells it (events), what it tells the
// host (commands), and what the sidebar can show (status, history). Every message shape
// comes from addon/protocol.json through the generated contract; only what never crosses
// the bridge (the sidebar's own events, problems, status) is written here, and so are the
// shapes of the orchestrator's state, so every layer can name them.
import definition from "../../../addon/protocol.json";
import type {
  CloseReason,
  CollectionOutcome,
  Commands,
  Events,
  HistoryEntry,
  LastSync,
  MediaOutcome,
  Notice,
  PersistedState,
  Place,
  Settings,
  SkipReason,
  Timer,
  Trigger,
  Tuning,
} from "../protocol/generated";

export type {
  CloseReason,
  CollectionOutcome,
  HistoryEntry,
  LastSync,
  MediaOutcome,
  Notice,
  PersistedState,
  Place,
  Settings,
  SkipReason,
  Trigger,
  Tuning,
};
export type TimerName = Timer;

export const TRIGGERS: readonly Trigger[] = definition.enums.trigger.split("|") as Trigger[];
export const SKIP_REASONS: readonly SkipReason[] = definition.enums.skipReason.split("|") as SkipReason[];

/** The host's events the orchestrator takes, as protocol.json defines them. */
type HostEventName =
  | "profileOpened"
  | "profileClosing"
  | "wakeup"
  | "syncRequested"
  | "collectionSyncStarted"
  | "collectionSyncProgress"
  | "collectionSyncFinished"
  | "mediaSyncStarted"
  | "mediaSyncProgress"
  | "mediaSyncFinished"
  | "settingsChanged"
  | "optionsChanged"
  | "activityChanged"
  | "accountChanged"
  | "networkChanged"
  | "fullSyncFinished"
  | "localChange"
  | "closeSkipped"
  | "clockJumped";

export type OrchestratorEvent =
  | { [K in HostEventName]: { type: K } & Events[K] }[HostEventName]
  /** The sidebar's own: Pause (`until`: wall-clock end; none: until Anki restarts), not waiting for media at close, and a notice read. */
  | { type: "pauseChanged"; paused: boolean; until?: number }
  | { type: "skipCloseWait" }
  | { type: "dismissNotice" };

/** The commands the orchestrator gives, as protocol.json defines them. */
type OrchestratorCommandName =
  | "syncCollection"
  | "syncMedia"
  | "abortMedia"
  | "abortCollection"
  | "continueClose"
  | "setWakeup"
  | "cancelWakeup"
  | "chooseFullSync"
  | "saveState"
  | "forgetKey"
  | "revealSidebar"
  | "saveSettings"
  | "watchInput"
  | "notify";

export type Command = { [K in OrchestratorCommandName]: { type: K } & Commands[K] }[OrchestratorCommandName];

export type ProblemKind = "authFailed" | "fullSyncRequired" | "networkError" | "serverError" | "failed" | "mediaFailed";

export interface Problem {
  kind: ProblemKind;
  message?: string;
  /** When the next silent retry is due, if one is scheduled. */
  retryAt?: number;
}

export interface RunningSync {
  kind: "collection" | "media";
  trigger: Trigger;
  startedAt: number;
  /** Anki's own stage text (data, shown as it comes). */
  stage?: string;
  progress?: string;
  /** Held for the user's Upload or Download choice: the sidebar words it. */
  waitingForChoice?: boolean;
}

/** A snapshot for the sidebar. */
export interface Status {
  profile?: string;
  signedIn: boolean;
  user?: string;
  server?: string;
  running: RunningSync | null;
  /** Coalesced syncs waiting for the running one: collection first, then media. */
  pending: Trigger[];
  lastCollectionSync?: LastSync;
  lastMediaSync?: LastSync;
  /** When the periodic media wakeup is due (display only). */
  nextPeriodicMediaAt?: number;
  /** Why no periodic media sync is coming, when none is. */
  nextPeriodicMediaReason?: SkipReason;
  nextRetryAt?: number;
  problem?: Problem;
  paused: boolean;
  /** Wall-clock end of a timed pause. */
  pausedUntil?: number;
  online: boolean;
  metered: boolean;
  closing: boolean;
  /** Changes made in Anki are waiting to go to Flipnem. */
  localChanges: boolean;
  /** Why what is owed has not gone yet (reviewing, typing, paused…). */
  waitingReason?: SkipReason;
  lastCheckAt?: number;
  /** Since when local changes have waited while syncs keep failing. */
  changesWaitingSince?: number;
  notice?: string;
  /** Whether changes go while Anki is open (the switch), so the sidebar can say what happens next. */
  keepsInStep: boolean;
}

export interface Orchestrator {
  /** Feed one event; returns the commands to carry out, in order. `at`: when the host saw it (wall-clock ms). */
  handle(event: OrchestratorEvent, at?: number): Command[];
  status(): Status;
  history(): HistoryEntry[];
  /** The whole state, as plain JSON: what a page started again takes up (the restart contract). */
  snapshot(): Snapshot;
  /** Takes up a snapshot made by `snapshot()`; false (and nothing changed) when it is not one. */
  restore(snapshot: unknown): boolean;
}

/** The orchestrator's whole state, handed to Python after every event that changes it. */
export interface Snapshot {
  v: number;
  session: unknown;
  env: unknown;
}

export const HISTORY_LIMIT = 200;

/** What `handle()` throws for an event that is not the orchestrator's (a page's own). */
export class NotAnOrchestratorEvent extends Error {
  constructor(readonly eventType: unknown) {
    super(`not an orchestrator event: ${typeof eventType === "string" ? eventType : typeof eventType}`);
  }
}

// ---- the state: one session per profile, one environment for the host ----

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
  /** Flipnem's changes owed to Anki at the next safe point (a check, or a return that could not pull at once). */
  pull: boolean;
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
  /** This device's changes wait for a sync. */
  localChanges: boolean;
  lastLocalChangeAt?: number;
  /** When a check last found nothing to exchange. */
  lastCheckAt?: number;
  /** How many idle checks have gone since the user was last there: each waits longer. */
  checkRound: number;
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
  paused: boolean;
  /** Wall-clock end of a timed pause; none while paused means until Anki restarts. */
  pausedUntil?: number;
  /** Where the user is in Anki, and whether they have left keyboard and mouse alone for the idle time. */
  place: Place;
  quiet: boolean;
  /** Anki is the active application (the user has not gone to another one). */
  active: boolean;
  /** Counts the activity reports, so a fact about "since the last one" needs no write to `quiet`. */
  activitySeq: number;
  /** The user came back during a sync at a safe point (its activity count then): not quiet until the next report. */
  backAtActivity?: number;
  online: boolean;
  metered: boolean;
  /** After a wake or the network's return, failures until then are retried without being shown. */
  hideFailuresUntil: number;
}
