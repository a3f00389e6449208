// Generated from addon/protocol.json by scripts/protocol-types.ts; do not edit by hand.
// npm run check fails when this file is stale.

export type Trigger =
  "open" | "close" | "periodic" | "button" | "sidebar" | "retry" | "background" | "pull" | "return" | "signIn";

export type Page = "sidebar" | "settings";

export type Timer = "periodicMedia" | "retry" | "background" | "statusCheck" | "pauseEnds" | "lasting";

export type CollectionOutcome =
  "ok" | "fullSyncRequired" | "authFailed" | "networkError" | "serverError" | "aborted" | "failed";

export type MediaOutcome = "ok" | "networkError" | "serverError" | "authFailed" | "aborted" | "failed" | "skipped";

export type SignInOutcome = "ok" | "badCredentials" | "unreachable" | "badAddress" | "profileClosed" | "failed";

export type FullSyncKind = "upload" | "download" | "either";

export type FullSyncOutcome = "ok" | "cancelled" | "failed";

export type CloseReason =
  | "synced"
  | "mediaWaitSkipped"
  | "skipped"
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
  | "notOpen"
  | "metered"
  | "reviewing"
  | "editing"
  | "typing"
  | "dialog";

export type SyncKind = "collection" | "media";

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
  | "notOpen"
  | "metered"
  | "reviewing"
  | "editing"
  | "typing"
  | "dialog";

export type Place = "deckBrowser" | "overview" | "review" | "editing" | "dialog" | "other";

export type MissingFeature = "network" | "metering";

export type Notice = "lasting" | "authFailed" | "fullSyncRequired";

export type Option =
  | "idleSeconds"
  | "statusCheckMinutes"
  | "lastingFailureMinutes"
  | "allowMetered"
  | "closeBoundSeconds"
  | "closeTotalSeconds"
  | "sidebarShortcut";

export type Settings = {
  autoSync: boolean;
  syncMedia: boolean;
  periodicMedia: boolean;
  periodicMediaMinutes: number;
  backgroundSync: boolean;
};

export type LastSync = { at: number; outcome: string; message?: string };

export type HistoryEntry = {
  kind: SyncKind;
  trigger: Trigger;
  startedAt: number;
  durationMs: number;
  outcome: string;
  message?: string;
  serverMessage?: string;
  counts?: string;
  skippedReason?: SkipReason;
};

export type PersistedState = {
  history: Array<HistoryEntry>;
  lastCollectionSync?: LastSync;
  lastMediaSync?: LastSync;
  changesWaitingSince?: number;
  noticed?: Array<string>;
  notice?: string;
  pausedUntil?: number;
};

export type Defaults = { server: string; settings: Settings; options?: Options };

export type Session = {
  profile: string;
  signedIn: boolean;
  user?: string;
  server?: string;
  settings: Settings;
  state?: Record<string, unknown>;
  defaults?: Settings;
  settingsVersion?: number;
  tuning?: Tuning;
  options?: Options;
};

export type Tuning = {
  idleSeconds: number;
  statusCheckMinutes: number;
  lastingFailureMinutes: number;
  allowMetered: boolean;
};

export type Restart = { snapshot?: Record<string, unknown>; seq: number; events: Array<Record<string, unknown>> };

export type Options = {
  idleSeconds: number;
  statusCheckMinutes: number;
  lastingFailureMinutes: number;
  allowMetered: boolean;
  closeBoundSeconds: number;
  closeTotalSeconds: number;
  sidebarShortcut: string;
};

/** What each command takes. */

export interface Commands {
  hello: { page: Page };
  ping: Record<never, never>;
  syncCollection: {
    trigger: Trigger;
    media: boolean;
    showProgress: boolean;
    showServerMessage: boolean;
    abortOnInput: boolean;
    inputGraceMs?: number;
    timeoutSecs?: number;
    probe: boolean;
  };
  syncMedia: { trigger: Trigger };
  abortMedia: Record<never, never>;
  abortCollection: Record<never, never>;
  continueClose: { reason: CloseReason };
  setWakeup: { timer: Timer; delayMs: number };
  cancelWakeup: { timer: Timer };
  chooseFullSync: Record<never, never>;
  saveState: { state: PersistedState };
  openSettings: Record<never, never>;
  toggleSidebar: Record<never, never>;
  showDataFolder: Record<never, never>;
  saveSettings: { settings: Settings };
  signIn: { server: string; username: string; password: string };
  signOut: Record<never, never>;
  testConnection: { server?: string };
  closeSettings: Record<never, never>;
  forgetKey: Record<never, never>;
  revealSidebar: Record<never, never>;
  watchInput: { quietMs: number; returnMs: number };
  notify: { about: Notice };
  setTopBar: { text: string; tip: string; tone: string; short?: string };
  nextDay: Record<never, never>;
  handled: { seq: number; snapshot: Record<string, unknown>; commands: Array<Record<string, unknown>> };
  saveOption: { key: Option; value: unknown };
  resetOption: { key: Option };
  focusAnki: Record<never, never>;
}

/** What each command's reply holds (unknown: protocol.json names no reply, there is nothing to read). */

export interface Replies {
  hello: {
    version: string;
    defaults: Defaults;
    keyAccepted?: boolean;
    problems: Array<string>;
    session?: Session;
    busy: boolean;
    preferencesOpen: boolean;
    missing: Array<MissingFeature>;
    restart?: Restart;
  };
  ping: { pong: boolean; at: number };
  syncCollection: { started: boolean };
  syncMedia: { started: boolean };
  abortMedia: unknown;
  abortCollection: unknown;
  continueClose: { continued: boolean };
  setWakeup: { armed: boolean };
  cancelWakeup: { cancelled: boolean };
  chooseFullSync: unknown;
  saveState: { saved: boolean };
  openSettings: unknown;
  toggleSidebar: unknown;
  showDataFolder: unknown;
  saveSettings: { settings: Settings };
  signIn: { started: boolean };
  signOut: { signedOut: boolean; server?: string };
  testConnection: { started: boolean };
  closeSettings: { closed: boolean };
  forgetKey: { forgotten: boolean };
  revealSidebar: { shown: boolean };
  watchInput: { watching: boolean };
  notify: { shown: boolean };
  setTopBar: { shown: boolean };
  nextDay: { at: number };
  handled: { done: number; problems: Array<string> };
  saveOption: { options: Options };
  resetOption: { options: Options };
  focusAnki: { focused: boolean };
}

/** What each event carries. */

export interface Events {
  profileOpened: Session;
  profileClosing: Record<never, never>;
  wakeup: { timer: Timer };
  syncRequested: { trigger: Trigger };
  collectionSyncStarted: { trigger: Trigger };
  collectionSyncProgress: { stage: string };
  collectionSyncFinished: {
    outcome: CollectionOutcome;
    message?: string;
    serverMessage?: string;
    counts?: string;
    mediaStarted: boolean;
    exchanged?: boolean;
  };
  mediaSyncStarted: { trigger?: Trigger };
  mediaSyncProgress: { text: string };
  mediaSyncFinished: { outcome: MediaOutcome; message?: string; counts?: string };
  settingsChanged: { settings: Settings };
  activityChanged: { place: Place; quiet: boolean; active?: boolean; awayMs?: number };
  accountChanged: { signedIn: boolean; user?: string; server?: string; defaults?: Settings };
  signInFinished: { outcome: SignInOutcome; message?: string; user?: string; server?: string };
  connectionTested: {
    reachable: boolean;
    roundTripMs?: number;
    message?: string;
    keyAccepted?: boolean;
    server: string;
  };
  fullSyncChoice: { required: FullSyncKind; localNotes: number; localCards: number };
  localChange: { kinds: Array<string> };
  fullSyncFinished: { outcome: FullSyncOutcome; message?: string };
  networkChanged: { online: boolean; metered?: boolean };
  closeSkipped: Record<never, never>;
  preferencesChanged: { open: boolean };
  clockJumped: { gapMs: number };
  optionsChanged: { options: Options };
}

export type CommandName = keyof Commands;

export type EventName = keyof Events;

/** An event as the page receives it: `seq` and `at` number and time the orchestrator's events. */

/** Events meant for the settings panel alone; the orchestrator takes the rest. */

export type PanelEventName = "signInFinished" | "connectionTested" | "fullSyncChoice" | "preferencesChanged";

export type EventMessage = { [K in EventName]: { event: K; data: Events[K]; seq?: number; at?: number } }[EventName];
