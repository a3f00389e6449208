// The orchestrator's vocabulary: what the host tells it (events), what it tells the
// host (commands), and what the sidebar can show (status, history).
// Names match addon/protocol.json; the host is the Python add-on.

export type Trigger = "open" | "close" | "periodic" | "button" | "sidebar" | "retry" | "background" | "signIn";

export const TRIGGERS: readonly Trigger[] = [
  "open",
  "close",
  "periodic",
  "button",
  "sidebar",
  "retry",
  "background",
  "signIn",
];

/** Why Anki is let close: the close sync ran, a wait was skipped, or why no close sync ran. */
export type CloseReason = "synced" | "mediaWaitSkipped" | "skipped" | SkipReason;

export type TimerName = "periodicMedia" | "retry" | "background";

export interface Settings {
  /** Sync the collection when a profile opens and closes. */
  autoSync: boolean;
  /** Media travels with every collection sync. */
  syncMedia: boolean;
  /** Media also syncs on its own timer. */
  periodicMedia: boolean;
  periodicMediaMinutes: number;
  /** Optional collection sync after local changes, once the user is idle. */
  backgroundSync: boolean;
}

export type CollectionOutcome =
  "ok" | "fullSyncRequired" | "authFailed" | "networkError" | "serverError" | "aborted" | "failed";

export type MediaOutcome = "ok" | "networkError" | "serverError" | "authFailed" | "aborted" | "failed" | "skipped";

/** Why the orchestrator decided not to sync. */
export type SkipReason =
  | "off"
  | "signedOut"
  | "mediaOff"
  | "busy"
  | "paused"
  | "closing"
  | "notIdle"
  | "authFailed"
  | "fullSyncRequired"
  | "offline"
  | "notOpen";

export const SKIP_REASONS: readonly SkipReason[] = [
  "off",
  "signedOut",
  "mediaOff",
  "busy",
  "paused",
  "closing",
  "notIdle",
  "authFailed",
  "fullSyncRequired",
  "offline",
  "notOpen",
];

export interface HistoryEntry {
  kind: "collection" | "media";
  trigger: Trigger;
  startedAt: number;
  durationMs: number;
  /** A Collection/MediaOutcome, or "skipped" when the orchestrator chose not to sync. */
  outcome: string;
  message?: string;
  serverMessage?: string;
  /** What the sync moved, in Anki's own words (e.g. "Added/modified: 2↑ 0↓ · Removed: 0↑ 0↓"). */
  counts?: string;
  skippedReason?: SkipReason;
}

export interface LastSync {
  at: number;
  outcome: string;
  message?: string;
}

/** What the host stores per profile and hands back on the next profileOpened. */
export interface PersistedState {
  history: HistoryEntry[];
  lastCollectionSync?: LastSync;
  lastMediaSync?: LastSync;
}

export type OrchestratorEvent =
  | {
      type: "profileOpened";
      profile: string;
      signedIn: boolean;
      user?: string;
      server?: string;
      settings: Settings;
      openSync: boolean;
      /** The user signed in while no page was up: that sign-in's sync is still owed. */
      signInSync?: boolean;
      /** A close is already waiting for this page. */
      closing?: boolean;
      /** On a first connection: the settings it starts with (config.json's defaults). */
      defaults?: Settings;
      state?: PersistedState;
    }
  | { type: "profileClosing"; boundSeconds: number }
  | { type: "wakeup"; timer: TimerName }
  | { type: "syncRequested"; trigger: Trigger }
  | { type: "collectionSyncStarted"; trigger: Trigger }
  | { type: "collectionSyncProgress"; stage: string }
  | {
      type: "collectionSyncFinished";
      outcome: CollectionOutcome;
      message?: string;
      serverMessage?: string;
      counts?: string;
      mediaStarted: boolean;
    }
  | { type: "mediaSyncStarted"; trigger?: Trigger }
  | { type: "mediaSyncProgress"; text: string }
  | { type: "mediaSyncFinished"; outcome: MediaOutcome; message?: string; counts?: string }
  | { type: "settingsChanged"; settings: Settings }
  | { type: "activityChanged"; idle: boolean }
  | { type: "accountChanged"; signedIn: boolean; user?: string; server?: string; defaults?: Settings }
  | { type: "networkChanged"; online: boolean }
  | { type: "pauseChanged"; paused: boolean }
  | { type: "skipCloseWait" }
  /** Skip in the window a slow close shows: close now; what did not sync goes next time. */
  | { type: "closeSkipped" }
  /** Anki's own upload/download choice has ended: done, or the user cancelled. */
  | { type: "fullSyncFinished"; outcome: "ok" | "cancelled" | "failed"; message?: string }
  /** Notes, cards or decks changed in this Anki (reviews included). */
  | { type: "localChange"; kinds: string[] };

export type Command =
  | { type: "syncCollection"; trigger: Trigger; media: boolean; showProgress: boolean; showServerMessage: boolean }
  | { type: "syncMedia"; trigger: Trigger }
  | { type: "abortMedia" }
  | { type: "continueClose"; reason: CloseReason }
  | { type: "setWakeup"; timer: TimerName; delayMs: number }
  | { type: "cancelWakeup"; timer: TimerName }
  | { type: "chooseFullSync" }
  /** The server rejected the key: forget it, as Anki does. */
  | { type: "forgetKey" }
  /** Something needs the user: show the sidebar. */
  | { type: "revealSidebar" }
  /** A first connection: the settings it starts with, where they belong (Anki's keys, the add-on's storage). */
  | { type: "saveSettings"; settings: Settings }
  | { type: "saveState"; state: PersistedState };

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
  stage?: string;
  progress?: string;
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
  online: boolean;
  closing: boolean;
}

export interface OrchestratorDeps {
  now: () => number;
  /** In [0, 1); used only for retry jitter. */
  random: () => number;
}

export interface Orchestrator {
  /** Feed one event; returns the commands to carry out, in order. */
  handle(event: OrchestratorEvent): Command[];
  status(): Status;
  history(): HistoryEntry[];
}

export const HISTORY_LIMIT = 200;
