// The sync orchestrator: every decision about when to sync, as a pure function of the
// events the host reports. No DOM, no timers, no clock of its own: time comes from
// deps.now, waiting is a `setWakeup` command the host turns into a Qt timer.
//
// The host carries out one command at a time and reports back:
//   syncCollection → collectionSyncStarted … collectionSyncFinished (mediaStarted: true
//   when media runs on after it) → mediaSyncProgress … mediaSyncFinished
//   syncMedia      → mediaSyncStarted … mediaSyncFinished
//   setWakeup      → wakeup (the timer's identity is the truth; elapsed time is not re-checked)

import { retryDelayMs } from "./backoff";
import { DEFAULT_SETTINGS } from "./defaults";
import { cut, cutEntry, ERROR_TEXT_CHARS, fitState } from "./limits";
import { HISTORY_LIMIT, SKIP_REASONS, TRIGGERS } from "./types";
import type {
  CollectionOutcome,
  Command,
  HistoryEntry,
  LastSync,
  Orchestrator,
  OrchestratorDeps,
  OrchestratorEvent,
  PersistedState,
  Problem,
  RunningSync,
  Settings,
  SkipReason,
  Status,
  TimerName,
  Trigger,
} from "./types";

type Phase = "notOpen" | "open" | "closing" | "closed";
type EventOf<T extends OrchestratorEvent["type"]> = Extract<OrchestratorEvent, { type: T }>;

interface Running extends RunningSync {
  abortSent?: boolean;
}

/** When triggers are coalesced into the one pending collection sync, the highest wins. */
const RANK: Record<Trigger, number> = {
  close: 5,
  button: 4,
  sidebar: 4,
  signIn: 4,
  open: 3,
  retry: 2,
  background: 1,
  periodic: 0,
};

/** The user is at the keyboard for these: they may be asked to choose a full sync. */
const USER_TRIGGERS: ReadonlySet<Trigger> = new Set(["button", "sidebar", "signIn"]);

/** How long after the last local change a background sync waits (a host timer). */
export const BACKGROUND_DELAY_MS = 2 * 60_000;

/** The outcomes of a last sync that a page started again takes up: a failure to retry, a full sync still waiting. */
const RESUMED_OUTCOMES: ReadonlySet<string> = new Set(["networkError", "serverError", "failed", "fullSyncRequired"]);

/** Run mid-session without the user asking; repeated skips of these are not re-recorded. */
const MID_SESSION: ReadonlySet<Trigger> = new Set(["periodic", "retry", "background"]);

/** Skips that only postpone a retry: it runs once the condition clears. */
const RETRY_WAITS: ReadonlySet<SkipReason> = new Set(["notIdle", "paused", "offline"]);

/** Per-profile state: reset by each profileOpened. */
interface Session {
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
  pendingCollection?: Trigger;
  pendingMedia?: Trigger;
  /** Armed wakeups and when they are due (display only). */
  armed: Partial<Record<TimerName, number>>;
  retryAttempt: number;
  /** A retry is owed but waits for idle, unpause or the network. */
  retryDue: boolean;
  /** Local changes are waiting for a background sync, which waits for idle. */
  backgroundDue: boolean;
  problem?: Problem;
  mediaProblem?: Problem;
  closeReason: string;
  skipMediaWait: boolean;
}

/** The host's situation: survives profile switches. */
interface Environment {
  running: Running | null;
  paused: boolean;
  idle: boolean;
  online: boolean;
}

function newSession(): Session {
  return {
    phase: "notOpen",
    signedIn: false,
    authFailed: false,
    settings: { ...DEFAULT_SETTINGS },
    history: [],
    armed: {},
    retryAttempt: 0,
    retryDue: false,
    backgroundDue: false,
    closeReason: "",
    skipMediaWait: false,
  };
}

export function createOrchestrator(deps: OrchestratorDeps): Orchestrator {
  let s = newSession();
  const env: Environment = { running: null, paused: false, idle: true, online: true };

  // Per handle() call: commands so far, and whether history changed.
  let out: Command[] = [];
  let historyChanged = false;

  function handle(event: OrchestratorEvent): Command[] {
    out = [];
    historyChanged = false;
    dispatch(event);
    if (historyChanged) out.push({ type: "saveState", state: persisted() });
    return bookkeepingFirst(out);
  }

  function dispatch(e: OrchestratorEvent): void {
    switch (e.type) {
      case "profileOpened":
        return onProfileOpened(e);
      case "profileClosing":
        return onProfileClosing();
      case "skipCloseWait":
        return onSkipCloseWait();
      case "wakeup":
        return onWakeup(e.timer);
      case "syncRequested":
        return requestCollection(e.trigger);
      case "collectionSyncStarted":
      case "mediaSyncStarted":
        return; // the command already marked the sync as running
      case "collectionSyncProgress":
        if (env.running?.kind === "collection") env.running.stage = e.stage;
        return;
      case "mediaSyncProgress":
        if (env.running?.kind === "media") env.running.progress = e.text;
        return;
      case "collectionSyncFinished":
        return onCollectionFinished(e);
      case "mediaSyncFinished":
        return onMediaFinished(e);
      case "settingsChanged":
        return onSettingsChanged(e.settings);
      case "activityChanged":
        env.idle = e.idle;
        if (e.idle) {
          runDueRetry();
          runDueBackground();
        }
        return;
      case "localChange":
        return onLocalChange();
      case "fullSyncFinished":
        return onFullSyncFinished(e);
      case "pauseChanged":
        env.paused = e.paused;
        if (!e.paused) runDueRetry();
        return;
      case "networkChanged":
        return onNetworkChanged(e.online);
      case "accountChanged":
        return onAccountChanged(e);
    }
  }

  // ---- profile open and close -------------------------------------------------------

  function onProfileOpened(e: EventOf<"profileOpened">): void {
    // A new session; a sync still running from the last one keeps the queue busy.
    s = { ...newSession(), ...restoreState(e.state) };
    s.phase = "open";
    s.profile = e.profile;
    s.signedIn = e.signedIn;
    s.user = e.user;
    s.server = e.server;
    s.settings = { ...e.settings };
    if (e.openSync) requestCollection("open");
    else resumeAfterRestart();
    syncPeriodicTimer(true);
  }

  /** A page started again mid-session picks up where the last one was: the problem stays shown, a failure is retried. */
  function resumeAfterRestart(): void {
    const last = s.lastCollectionSync;
    if (!last || !s.signedIn || !RESUMED_OUTCOMES.has(last.outcome)) return;
    // as if the last sync had just ended, seen as a retry: an automatic trigger
    const outcome = last.outcome as CollectionOutcome;
    applyCollectionOutcome("retry", {
      type: "collectionSyncFinished",
      outcome,
      message: last.message,
      mediaStarted: false,
    });
  }

  function onProfileClosing(): void {
    if (s.phase === "closing") return; // the continueClose still to come answers it
    if (s.phase !== "open") {
      out.push({ type: "continueClose", reason: "notOpen" });
      return;
    }
    s.phase = "closing";
    for (const timer of Object.keys(s.armed) as TimerName[]) cancel(timer);
    s.retryDue = false;
    // The close sync carries media, so a queued media sync is not needed.
    dropPendingMedia("closing");

    const why = whyNotCollection("close");
    if (why) {
      recordSkip("collection", "close", why);
      dropPendingCollection("closing");
      s.closeReason = why;
    } else {
      s.closeReason = "synced";
      requestCollection("close");
    }
    advance();
  }

  function onSkipCloseWait(): void {
    if (s.phase !== "closing") return;
    s.skipMediaWait = true;
    advance();
  }

  /** Anki may close once nothing runs and nothing waits. */
  function finishClose(reason: string): void {
    out.push({ type: "continueClose", reason });
    s.phase = "closed";
  }

  /** The user asked not to wait for media: stop it, and close unless a close sync is queued. */
  function skipMediaWaitIfAsked(running: Running): void {
    if (s.phase !== "closing" || !s.skipMediaWait || running.kind !== "media") return;
    if (!running.abortSent) {
      out.push({ type: "abortMedia" });
      running.abortSent = true;
    }
    if (!s.pendingCollection) finishClose("mediaWaitSkipped");
  }

  // ---- the queue ----------------------------------------------------------------------

  /** After a sync ends: run what was coalesced, or let a closing profile close. */
  function advance(): void {
    if (env.running) return skipMediaWaitIfAsked(env.running);
    // A queued sync may now be refused (settings changed, signed out…): try the next.
    while (!env.running) {
      const collection = s.pendingCollection;
      const media = s.pendingMedia;
      if (collection) {
        s.pendingCollection = undefined;
        requestCollection(collection);
      } else if (media) {
        s.pendingMedia = undefined;
        requestMedia(media);
      } else {
        if (s.phase === "closing") finishClose(s.closeReason);
        return;
      }
    }
  }

  function requestCollection(trigger: Trigger): void {
    const why = whyNotCollection(trigger);
    if (why) return refuseCollection(trigger, why);
    if (env.running) {
      const queued = s.pendingCollection;
      if (!queued || RANK[trigger] > RANK[queued]) s.pendingCollection = trigger;
      return;
    }
    const media = s.settings.syncMedia && !(trigger === "close" && s.skipMediaWait);
    env.running = { kind: "collection", trigger, startedAt: deps.now() };
    out.push({ type: "syncCollection", trigger, media });
  }

  function requestMedia(trigger: Trigger): void {
    const why = whyNotPeriodicMedia();
    if (why) return recordSkip("media", trigger, why);
    if (env.running) {
      s.pendingMedia ??= trigger;
      return;
    }
    env.running = { kind: "media", trigger, startedAt: deps.now() };
    out.push({ type: "syncMedia", trigger });
  }

  function refuseCollection(trigger: Trigger, why: SkipReason): void {
    if (trigger === "retry" && RETRY_WAITS.has(why)) {
      s.retryDue = true;
      if (why === "notIdle") return; // not a skip: it runs when the user goes idle
    }
    recordSkip("collection", trigger, why);
  }

  function dropPendingCollection(reason: SkipReason): void {
    if (!s.pendingCollection) return;
    recordSkip("collection", s.pendingCollection, reason);
    s.pendingCollection = undefined;
  }

  function dropPendingMedia(reason: SkipReason): void {
    if (!s.pendingMedia) return;
    recordSkip("media", s.pendingMedia, reason);
    s.pendingMedia = undefined;
  }

  // ---- guards: each one reason not to sync --------------------------------------------

  function whyNotCollection(trigger: Trigger): SkipReason | undefined {
    if (s.phase === "notOpen" || s.phase === "closed") return "notOpen";
    if (s.phase === "closing" && trigger !== "close") return "closing";
    if (!s.signedIn) return s.authFailed ? "authFailed" : "signedOut";
    // The Sync button works whatever the settings say, and so does the first sync after signing in.
    if (trigger === "button" || trigger === "sidebar" || trigger === "signIn") return undefined;
    if (!s.settings.autoSync) return "off";
    // Close never loses a review; open and sign-in are not mid-session.
    if (!MID_SESSION.has(trigger)) return undefined;
    if (s.problem?.kind === "fullSyncRequired") return "fullSyncRequired";
    if (trigger === "background" && !s.settings.backgroundSync) return "off";
    if (env.paused) return "paused";
    if (!env.online) return "offline";
    // A sync locks the collection and clears undo: never under the user's hands.
    if (!env.idle) return "notIdle";
    return undefined;
  }

  /** Also the sidebar's reason why no periodic media sync is coming. */
  function whyNotPeriodicMedia(): SkipReason | undefined {
    if (s.phase === "notOpen" || s.phase === "closed") return "notOpen";
    if (s.phase === "closing") return "closing";
    if (!s.signedIn) return s.authFailed ? "authFailed" : "signedOut";
    if (!s.settings.syncMedia) return "mediaOff";
    if (!s.settings.periodicMedia || periodicMs() === undefined) return "off";
    if (env.paused) return "paused";
    if (!env.online) return "offline";
    return undefined;
  }

  // ---- sync results -------------------------------------------------------------------

  function onCollectionFinished(e: EventOf<"collectionSyncFinished">): void {
    const run = env.running;
    if (run?.kind !== "collection") return; // a stray report must not wedge the queue
    const now = deps.now();
    env.running = e.mediaStarted ? { kind: "media", trigger: run.trigger, startedAt: now } : null;
    // Media running on after this sync serves any queued media sync.
    if (e.mediaStarted) s.pendingMedia = undefined;
    if (s.phase === "open" || s.phase === "closing") {
      addHistory(entry("collection", run, now, e.outcome, e));
      s.lastCollectionSync = lastSync(now, e.outcome, e.message);
      applyCollectionOutcome(run.trigger, e);
    }
    advance();
  }

  function onFullSyncFinished(e: EventOf<"fullSyncFinished">): void {
    const run = env.running;
    if (run?.kind !== "collection") return;
    const now = deps.now();
    env.running = null;
    if (s.phase === "open" || s.phase === "closing") {
      addHistory(entry("collection", run, now, e.outcome, e));
      if (e.outcome === "ok") {
        s.problem = undefined;
        s.lastCollectionSync = lastSync(now, "ok");
      } else {
        s.problem = problem("fullSyncRequired", e.message);
      }
    }
    advance();
  }

  function applyCollectionOutcome(trigger: Trigger, e: EventOf<"collectionSyncFinished">): void {
    switch (e.outcome) {
      case "ok":
        s.problem = undefined;
        stopRetrying();
        // whatever changed locally has just gone to Flipnem
        s.backgroundDue = false;
        cancel("background");
        return;
      case "authFailed":
        return onAuthFailed(e.message);
      case "fullSyncRequired":
        stopRetrying();
        // Upload or download is the user's choice; ask only when they are there.
        if (USER_TRIGGERS.has(trigger) && s.phase === "open") {
          out.push({ type: "chooseFullSync" });
          dropPendingCollection("fullSyncRequired");
          // Anki's choice, and the upload or download after it, hold the queue like any sync
          env.running = { kind: "collection", trigger, startedAt: deps.now(), stage: "Waiting for Upload or Download" };
        } else {
          s.problem = problem("fullSyncRequired", e.message);
        }
        return;
      case "networkError":
      case "serverError":
      case "failed":
        s.problem = problem(e.outcome, e.message);
        if (shouldRetry(trigger)) scheduleRetry();
        return;
      case "aborted":
        return;
    }
  }

  function onMediaFinished(e: EventOf<"mediaSyncFinished">): void {
    const run = env.running;
    if (run?.kind !== "media") return;
    env.running = null;
    if (s.phase === "open" || s.phase === "closing") {
      const now = deps.now();
      addHistory(entry("media", run, now, e.outcome, e));
      if (e.outcome !== "skipped") s.lastMediaSync = lastSync(now, e.outcome, e.message);
      switch (e.outcome) {
        case "ok":
          s.mediaProblem = undefined;
          break;
        case "authFailed":
          onAuthFailed(e.message);
          break;
        case "networkError":
        case "serverError":
        case "failed":
          // No backoff for media: the next interval is the retry.
          s.mediaProblem = problem("mediaFailed", e.message);
          break;
      }
    }
    advance();
  }

  function onAuthFailed(message: string | undefined): void {
    s.signedIn = false;
    s.authFailed = true;
    s.problem = problem("authFailed", message);
    stopRetrying();
    syncPeriodicTimer(false);
  }

  // ---- retry with backoff -------------------------------------------------------------

  /** Silent retries are automatic syncs: only while auto sync is on, never on close. */
  function shouldRetry(trigger: Trigger): boolean {
    return s.phase === "open" && trigger !== "close" && s.signedIn && s.settings.autoSync;
  }

  function scheduleRetry(): void {
    const delay = retryDelayMs(s.retryAttempt, deps.random);
    s.retryAttempt += 1;
    s.retryDue = false;
    dropQueuedRetry(); // the backoff supersedes it
    arm("retry", delay);
  }

  function stopRetrying(): void {
    cancel("retry");
    dropQueuedRetry();
    s.retryDue = false;
    s.retryAttempt = 0;
  }

  function dropQueuedRetry(): void {
    if (s.pendingCollection === "retry") s.pendingCollection = undefined;
  }

  function runDueRetry(): void {
    if (!s.retryDue) return;
    s.retryDue = false;
    requestCollection("retry");
  }

  /** Local changes go to Flipnem a while after the last one, once the user is idle. */
  function onLocalChange(): void {
    if (s.phase !== "open" || !s.signedIn || !s.settings.autoSync || !s.settings.backgroundSync) return;
    arm("background", BACKGROUND_DELAY_MS);
  }

  function runDueBackground(): void {
    if (!s.backgroundDue) return;
    const why = whyNotCollection("background");
    if (why === "notIdle") return; // still owed: it runs when the user goes idle
    s.backgroundDue = false;
    requestCollection("background");
  }

  function onNetworkChanged(online: boolean): void {
    env.online = online;
    if (!online) return;
    // The outage that caused the backoff is probably over: retry now, from the start.
    s.retryAttempt = 0;
    if (s.armed.retry !== undefined) {
      cancel("retry");
      s.retryDue = true;
    }
    runDueRetry();
  }

  // ---- timers -------------------------------------------------------------------------

  function onWakeup(timer: TimerName): void {
    if (s.phase !== "open") return;
    if (s.armed[timer] === undefined) return; // cancelled or replaced: stale
    delete s.armed[timer];
    if (timer === "retry") return requestCollection("retry");
    if (timer === "background") {
      s.backgroundDue = true;
      return runDueBackground();
    }
    requestMedia("periodic");
    syncPeriodicTimer(false);
  }

  function periodicMs(): number | undefined {
    const minutes = s.settings.periodicMediaMinutes;
    return Number.isFinite(minutes) && minutes > 0 ? Math.round(minutes * 60_000) : undefined;
  }

  /**
   * Arm the periodic media wakeup when it is wanted, cancel it when not. `restart`
   * re-arms an armed timer so a new interval counts from now.
   * Paused or offline keeps the timer: each tick records why it skipped.
   */
  function syncPeriodicTimer(restart: boolean): void {
    const why = whyNotPeriodicMedia();
    const ms = periodicMs();
    const wanted = why === undefined || why === "paused" || why === "offline";
    if (wanted && ms !== undefined) {
      if (restart || s.armed.periodicMedia === undefined) arm("periodicMedia", ms);
    } else {
      cancel("periodicMedia");
    }
  }

  function arm(timer: TimerName, delayMs: number): void {
    s.armed[timer] = deps.now() + delayMs;
    out.push({ type: "setWakeup", timer, delayMs });
  }

  function cancel(timer: TimerName): void {
    if (s.armed[timer] === undefined) return;
    delete s.armed[timer];
    out.push({ type: "cancelWakeup", timer });
  }

  // ---- settings and account -----------------------------------------------------------

  function onSettingsChanged(next: Settings): void {
    const before = s.settings;
    s.settings = { ...next };
    if (s.phase !== "open") return;
    const periodicChanged =
      before.syncMedia !== next.syncMedia ||
      before.periodicMedia !== next.periodicMedia ||
      before.periodicMediaMinutes !== next.periodicMediaMinutes;
    syncPeriodicTimer(periodicChanged);
    if (!next.autoSync) stopRetrying();
    if (!next.autoSync || !next.backgroundSync) {
      s.backgroundDue = false;
      cancel("background");
    }
  }

  function onAccountChanged(e: EventOf<"accountChanged">): void {
    const newAccount = e.signedIn && (!s.signedIn || e.user !== s.user || e.server !== s.server);
    s.signedIn = e.signedIn;
    s.user = e.user;
    s.server = e.server;
    if (e.signedIn) {
      s.authFailed = false;
      if (s.problem?.kind === "authFailed") s.problem = undefined;
    } else {
      stopRetrying();
      // Problems of the old session no longer apply; a rejected key still explains the sign-out.
      if (s.problem?.kind !== "authFailed") s.problem = undefined;
      s.mediaProblem = undefined;
    }
    if (s.phase !== "open") return;
    syncPeriodicTimer(false);
    if (newAccount) requestCollection("signIn");
  }

  // ---- history and persistence --------------------------------------------------------

  function recordSkip(kind: HistoryEntry["kind"], trigger: Trigger, reason: SkipReason): void {
    if (s.phase === "notOpen" || s.phase === "closed") return;
    const last = s.history.at(-1);
    const repeat =
      last !== undefined &&
      last.outcome === "skipped" &&
      last.kind === kind &&
      last.trigger === trigger &&
      last.skippedReason === reason;
    // A timer that keeps skipping for the same reason is one story, not hundreds.
    if (repeat && MID_SESSION.has(trigger)) return;
    const now = deps.now();
    addHistory({ kind, trigger, startedAt: now, durationMs: 0, outcome: "skipped", skippedReason: reason });
  }

  function addHistory(e: HistoryEntry): void {
    s.history.push(e);
    if (s.history.length > HISTORY_LIMIT) s.history.splice(0, s.history.length - HISTORY_LIMIT);
    historyChanged = true;
  }

  function persisted(): PersistedState {
    const state: PersistedState = { history: s.history.map((h) => ({ ...h })) };
    if (s.lastCollectionSync) state.lastCollectionSync = { ...s.lastCollectionSync };
    if (s.lastMediaSync) state.lastMediaSync = { ...s.lastMediaSync };
    return fitState(state);
  }

  // ---- status -------------------------------------------------------------------------

  function status(): Status {
    const st: Status = {
      signedIn: s.signedIn,
      running: env.running ? runningView(env.running) : null,
      pending: [s.pendingCollection, s.pendingMedia].filter((t): t is Trigger => t !== undefined),
      paused: env.paused,
      online: env.online,
      closing: s.phase === "closing",
    };
    if (s.profile !== undefined) st.profile = s.profile;
    if (s.user !== undefined) st.user = s.user;
    if (s.server !== undefined) st.server = s.server;
    if (s.lastCollectionSync) st.lastCollectionSync = { ...s.lastCollectionSync };
    if (s.lastMediaSync) st.lastMediaSync = { ...s.lastMediaSync };
    const why = whyNotPeriodicMedia();
    if (why) st.nextPeriodicMediaReason = why;
    else if (s.armed.periodicMedia !== undefined) st.nextPeriodicMediaAt = s.armed.periodicMedia;
    if (s.armed.retry !== undefined) st.nextRetryAt = s.armed.retry;
    // The collection's problem matters more than media's.
    const shown = s.problem ?? s.mediaProblem;
    if (shown) {
      st.problem = { ...shown };
      if (st.nextRetryAt !== undefined && s.problem === shown) st.problem.retryAt = st.nextRetryAt;
    }
    return st;
  }

  return { handle, status, history: () => s.history.map((h) => ({ ...h })) };
}

// ---- helpers (pure) -------------------------------------------------------------------

/**
 * Timers and saved state first, then what the host acts on: a host that is busy
 * carrying out a sync must not hold back a timer, and history is saved before
 * Anki is let close.
 */
function bookkeepingFirst(commands: Command[]): Command[] {
  const isBookkeeping = (c: Command) => c.type === "setWakeup" || c.type === "cancelWakeup" || c.type === "saveState";
  return [...commands.filter(isBookkeeping), ...commands.filter((c) => !isBookkeeping(c))];
}

function runningView(r: Running): RunningSync {
  const v: RunningSync = { kind: r.kind, trigger: r.trigger, startedAt: r.startedAt };
  if (r.stage !== undefined) v.stage = r.stage;
  if (r.progress !== undefined) v.progress = r.progress;
  return v;
}

function entry(
  kind: HistoryEntry["kind"],
  run: Running,
  now: number,
  outcome: string,
  said: { message?: string; serverMessage?: string; counts?: string },
): HistoryEntry {
  const e: HistoryEntry = {
    kind,
    trigger: run.trigger,
    startedAt: run.startedAt,
    durationMs: Math.max(0, now - run.startedAt),
    outcome,
  };
  if (said.message !== undefined) e.message = said.message;
  if (said.serverMessage !== undefined) e.serverMessage = said.serverMessage;
  if (said.counts !== undefined) e.counts = said.counts;
  return cutEntry(e);
}

function lastSync(at: number, outcome: string, message?: string): LastSync {
  return message === undefined ? { at, outcome } : { at, outcome, message: cut(message, ERROR_TEXT_CHARS) };
}

function problem(kind: Problem["kind"], message?: string): Problem {
  return message === undefined ? { kind } : { kind, message: cut(message, ERROR_TEXT_CHARS) };
}

// ---- restoring persisted state: it may be old, hand-edited or damaged ------------------

type Restored = Pick<Session, "history" | "lastCollectionSync" | "lastMediaSync">;

export function restoreState(raw: unknown): Restored {
  const restored: Restored = { history: [] };
  if (!isRecord(raw)) return restored;
  if (Array.isArray(raw.history)) {
    restored.history = raw.history.flatMap(toHistoryEntry).slice(-HISTORY_LIMIT);
  }
  const lastCollection = toLastSync(raw.lastCollectionSync);
  if (lastCollection) restored.lastCollectionSync = lastCollection;
  const lastMedia = toLastSync(raw.lastMediaSync);
  if (lastMedia) restored.lastMediaSync = lastMedia;
  return restored;
}

function toHistoryEntry(raw: unknown): HistoryEntry[] {
  if (!isRecord(raw)) return [];
  const { kind, trigger, startedAt, durationMs, outcome } = raw;
  if (kind !== "collection" && kind !== "media") return [];
  if (!TRIGGERS.includes(trigger as Trigger)) return [];
  if (!isFiniteNumber(startedAt) || !isFiniteNumber(durationMs) || typeof outcome !== "string") return [];
  const e: HistoryEntry = { kind, trigger: trigger as Trigger, startedAt, durationMs, outcome };
  if (typeof raw.message === "string") e.message = raw.message;
  if (typeof raw.serverMessage === "string") e.serverMessage = raw.serverMessage;
  if (typeof raw.counts === "string") e.counts = raw.counts;
  if (SKIP_REASONS.includes(raw.skippedReason as SkipReason)) {
    e.skippedReason = raw.skippedReason as SkipReason;
  }
  return [cutEntry(e)];
}

function toLastSync(raw: unknown): LastSync | undefined {
  if (!isRecord(raw) || !isFiniteNumber(raw.at) || typeof raw.outcome !== "string") return undefined;
  return lastSync(raw.at, raw.outcome, typeof raw.message === "string" ? raw.message : undefined);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}
