// The orchestrator's vocabulary: what the host tells it (events), what it tells the
// host (commands), and what the sidebar can show (status, history). Every message shape
// comes from addon/protocol.json through the generated contract; only what never crosses
// the bridge (the sidebar's own events, problems, status) is written here.
import definition from "../../../addon/protocol.json";
import type {
  CloseReason,
  CollectionOutcome,
  Commands,
  Events,
  HistoryEntry,
  LastSync,
  MediaOutcome,
  PersistedState,
  Place,
  Settings,
  SkipReason,
  StatusRequired,
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
  PersistedState,
  Place,
  Settings,
  SkipReason,
  StatusRequired,
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
  | "activityChanged"
  | "accountChanged"
  | "networkChanged"
  | "fullSyncFinished"
  | "localChange"
  | "closeSkipped"
  | "statusChecked"
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
  | "continueClose"
  | "setWakeup"
  | "cancelWakeup"
  | "chooseFullSync"
  | "saveState"
  | "forgetKey"
  | "revealSidebar"
  | "saveSettings"
  | "checkStatus"
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
  /** Wall-clock end of a timed pause. */
  pausedUntil?: number;
  online: boolean;
  metered: boolean;
  closing: boolean;
  /** The last status check found changes on Flipnem not yet in Anki. */
  remoteChanges: boolean;
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

export interface OrchestratorDeps {
  now: () => number;
  /** In [0, 1); used only for retry jitter. */
  random: () => number;
  /** What each trigger is; a test may extend the table with a made-up trigger. */
  triggers?: TriggerTable;
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

/** What a trigger is: every rule that depends on what started a sync reads one of these (core/triggers.ts). */
export interface Traits {
  /** When triggers coalesce into the one queued collection sync, the highest names it. */
  rank: number;
  /** The user is at the keyboard: settings and pause never hold it, and they may be asked to choose a full sync. */
  startedByUser: boolean;
  /** Sent from the sidebar page itself, not from Python. */
  fromPage: boolean;
  /** Runs mid-session without the user asking: held by a needed full sync, offline or metered; a repeated skip is one story. */
  midSession: boolean;
  /** Waits for a safe point, and is stopped at the user's first input with a short network timeout. */
  atSafePoint: boolean;
  /** Stays owed (under this name) while a safe point, a pause or the network holds it. */
  owedAs?: "retry" | "background" | "pull";
  /** Sent only while "Keep in sync while Anki is open" is on; dropped when everything went both ways. */
  needsBackgroundSwitch: boolean;
  /** The close sync: the one that runs while the profile closes, whose media wait the user may skip. */
  closesProfile: boolean;
  /** Shows Anki's own progress window: the user waits for it. */
  showsProgress: boolean;
  /** A message from Flipnem is shown in a window. */
  showsServerMessage: boolean;
  /** A failure is retried on backoff (while auto sync is on). */
  retried: boolean;
  /** A failure just after a wake or the network's return is expected: retried, shown nowhere. */
  hidesFailures: boolean;
}

export type TriggerTable = Readonly<Record<Trigger, Readonly<Traits>>>;

export const HISTORY_LIMIT = 200;
