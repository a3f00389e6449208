// The sync orchestrator: every decision about when to sync, as a pure function of the
// events the host reports. No DOM, no timers, no clock of its own: time comes from
// deps.now, waiting is a `setWakeup` command the host turns into a Qt timer.
//
// The host carries out one command at a time and reports back:
//   syncCollection → collectionSyncStarted … collectionSyncFinished (mediaStarted: true
//   when media runs on after it) → mediaSyncProgress … mediaSyncFinished
//   syncMedia      → mediaSyncStarted … mediaSyncFinished
//   setWakeup      → wakeup (the timer's identity is the truth; elapsed time is not re-checked)
//
// Each decision lives in its own module: policy (every reason not to sync), queue (single
// flight, ranking), retry, background, periodic, close, results, persisted, status. This
// file reads as the spec: which event leads to which decision.

import { dropBackground, onBackgroundDue, onLocalChange, runOwedBackground } from "./background";
import { onCloseSkipped, onProfileClosing, onSkipCloseWait } from "./close";
import type { Core } from "./core";
import { SETTINGS_VERSION } from "./defaults";
import { Effects } from "./effects";
import { armLasting, cleared, watchLasting } from "./notices";
import { armPauseEnd, expirePause, onPauseChanged } from "./pause";
import { onPeriodicWakeup, syncPeriodicTimer } from "./periodic";
import { persisted, restoreState } from "./persisted";
import { advance, requestCollection } from "./queue";
import { onCollectionFinished, onFullSyncFinished, onMediaFinished } from "./results";
import { onNetworkBack, runOwedRetry, stopRetrying } from "./retry";
import { armStatusCheck, catchUp, onStatusChecked, requestStatusCheck, runOwedStatusCheck } from "./statuscheck";
import { newEnvironment, newSession, type Session } from "./state";
import { TRIGGER_TRAITS } from "./triggers";
import { status } from "./status";
import type {
  Command,
  Orchestrator,
  OrchestratorDeps,
  OrchestratorEvent,
  Settings,
  Snapshot,
  TimerName,
} from "./types";

export { BACKGROUND_DELAY_MS } from "./background";
export { restoreState } from "./persisted";

export class NotAnOrchestratorEvent extends Error {
  constructor(readonly eventType: unknown) {
    super(`not an orchestrator event: ${typeof eventType === "string" ? eventType : typeof eventType}`);
  }
}

type EventOf<T extends OrchestratorEvent["type"]> = Extract<OrchestratorEvent, { type: T }>;

/** The snapshot's layout; a page only ever takes up one made by the same build. */
const SNAPSHOT_VERSION = 1;

export function createOrchestrator(deps: OrchestratorDeps): Orchestrator {
  let s: Session = newSession();
  const env = newEnvironment();
  // when the host saw the event being handled: a replayed event keeps its own time
  let seenAt: number | undefined;

  const c: Core = {
    get s() {
      return s;
    },
    env,
    out: new Effects(),
    triggers: deps.triggers ?? TRIGGER_TRAITS,
    now: () => seenAt ?? deps.now(),
    random: deps.random,
    requestCollection: (trigger) => requestCollection(c, trigger),
    advance: () => advance(c),
    runOwed: () => runOwed(c),
  };

  function handle(event: OrchestratorEvent, at?: number): Command[] {
    c.out = new Effects();
    seenAt = at;
    try {
      // a timed pause that ended while the machine slept ends before anything else is decided
      if (!(event.type === "wakeup" && event.timer === "pauseEnds")) expirePause(c);
      dispatch(c, event);
      return c.out.commands(() => persisted(s, env.paused ? env.pausedUntil : undefined));
    } finally {
      seenAt = undefined;
    }
  }

  function snapshot(): Snapshot {
    return JSON.parse(JSON.stringify({ v: SNAPSHOT_VERSION, session: s, env })) as Snapshot;
  }

  function restore(raw: unknown): boolean {
    if (!isSnapshot(raw)) return false;
    s = { ...newSession(), ...(raw.session as Partial<Session>) };
    Object.assign(env, newEnvironment(), raw.env as Partial<typeof env>);
    // JSON has no undefined: a field that was unset stays unset
    if (env.running === undefined) env.running = null;
    return true;
  }

  /** What is owed, in order of need, once the queue is free and each may run. */
  function runOwed(c: Core): void {
    if (s.phase !== "open") return;
    runOwedRetry(c);
    runOwedBackground(c);
    runOwedStatusCheck(c);
  }

  function dispatch(c: Core, e: OrchestratorEvent): void {
    switch (e.type) {
      case "profileOpened":
        return onProfileOpened(c, e);
      case "profileClosing":
        return onProfileClosing(c);
      case "skipCloseWait":
        return onSkipCloseWait(c);
      case "closeSkipped":
        return onCloseSkipped(c);
      case "wakeup":
        return onWakeup(c, e.timer);
      case "syncRequested":
        return c.requestCollection(e.trigger);
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
        return onCollectionFinished(c, e);
      case "mediaSyncFinished":
        return onMediaFinished(c, e);
      case "fullSyncFinished":
        return onFullSyncFinished(c, e);
      case "settingsChanged":
        return onSettingsChanged(c, e.settings);
      case "activityChanged":
        env.place = e.place;
        env.quiet = e.quiet;
        return runOwed(c);
      case "localChange":
        return onLocalChange(c, e.kinds);
      case "pauseChanged":
        return onPauseChanged(c, e.paused, e.until);
      case "dismissNotice":
        s.notice = undefined;
        c.out.historyChanged = true;
        return;
      case "networkChanged":
        return onNetworkChanged(c, e);
      case "statusChecked":
        return onStatusChecked(c, e);
      case "clockJumped":
        // Qt's timers stop while the machine sleeps: a long gap on the wall clock is a wake
        return catchUp(c);
      case "accountChanged":
        return onAccountChanged(c, e);
      default:
        // a page's own event (a sign-in result, a connection test) is never the orchestrator's
        throw new NotAnOrchestratorEvent((e as { type: unknown }).type);
    }
  }

  // ---- profile open -------------------------------------------------------------------

  function onProfileOpened(c: Core, e: EventOf<"profileOpened">): void {
    // A new session; a sync still running from the last one keeps the queue busy.
    const { pausedUntil, ...restored } = restoreState(e.state);
    s = { ...newSession(), ...restored, noticed: restored.noticed ?? [] };
    // a timed pause set before Anki last closed holds until its end
    if (pausedUntil !== undefined && pausedUntil > c.now() && !env.paused) {
      env.paused = true;
      env.pausedUntil = pausedUntil;
    }
    // signed in (again, perhaps while no page was up): no rejected key is waiting to be told
    if (e.signedIn) s.noticed = s.noticed.filter((n) => n !== "authFailed");
    s.localChanges = restored.changesWaitingSince !== undefined;
    s.phase = "open";
    s.profile = e.profile;
    s.signedIn = e.signedIn;
    s.user = e.user;
    s.server = e.server;
    s.settings = { ...e.settings };
    if (e.tuning) s.tuning = { ...e.tuning };
    if (e.defaults) applyFirstConnection(c, e.defaults);
    else if (e.signedIn && (e.settingsVersion ?? 1) < SETTINGS_VERSION) migrateSettings(c);
    c.out.do({ type: "watchInput", quietMs: s.tuning.idleSeconds * 1000 });
    c.requestCollection("open");
    syncPeriodicTimer(c, true);
    armStatusCheck(c);
    armLasting(c);
    armPauseEnd(c);
  }

  /**
   * Settings version 2: "Keep in sync while Anki is open" is on by default. Version 1 wrote
   * `false` into every signed-in profile, so a stored false was never a choice: on, once, said once.
   */
  function migrateSettings(c: Core): void {
    s.settings = { ...s.settings, backgroundSync: true };
    c.out.do({ type: "saveSettings", settings: { ...s.settings } });
    s.notice = "backgroundOn";
    c.out.historyChanged = true;
  }

  function onNetworkChanged(c: Core, e: EventOf<"networkChanged">): void {
    const back = e.online && !env.online;
    env.online = e.online;
    if (e.metered !== undefined) env.metered = e.metered;
    if (back) {
      onNetworkBack(c);
      catchUp(c);
    }
    syncPeriodicTimer(c, false);
    runOwed(c);
  }

  // ---- timers -------------------------------------------------------------------------

  function onWakeup(c: Core, timer: TimerName): void {
    if (s.phase !== "open") return;
    if (s.owed.at[timer] === undefined) return; // cancelled or replaced: stale
    delete s.owed.at[timer];
    switch (timer) {
      case "retry":
        return c.requestCollection("retry");
      case "background":
        return onBackgroundDue(c);
      case "statusCheck":
        return requestStatusCheck(c);
      case "pauseEnds":
        return expirePause(c, true);
      case "lasting":
        return watchLasting(c, true);
      case "periodicMedia":
        return onPeriodicWakeup(c);
    }
  }

  // ---- settings and account -----------------------------------------------------------

  function onSettingsChanged(c: Core, next: Settings): void {
    const before = s.settings;
    s.settings = { ...next };
    if (s.phase !== "open") return;
    const periodicChanged =
      before.syncMedia !== next.syncMedia ||
      before.periodicMedia !== next.periodicMedia ||
      before.periodicMediaMinutes !== next.periodicMediaMinutes;
    syncPeriodicTimer(c, periodicChanged);
    if (!next.autoSync) stopRetrying(c);
    if (!next.autoSync || !next.backgroundSync) dropBackground(c);
    // a retry of what only the switch sends goes with it
    if (!next.backgroundSync && s.retryFor && c.triggers[s.retryFor].needsBackgroundSwitch) stopRetrying(c);
    // the upgrade's line goes once the user has chosen
    if (before.backgroundSync !== next.backgroundSync && s.notice === "backgroundOn") {
      s.notice = undefined;
      c.out.historyChanged = true;
    }
    runOwed(c);
  }

  function onAccountChanged(c: Core, e: EventOf<"accountChanged">): void {
    const newAccount = e.signedIn && (!s.signedIn || e.user !== s.user || e.server !== s.server);
    s.signedIn = e.signedIn;
    s.user = e.user;
    s.server = e.server;
    if (e.signedIn) {
      if (e.defaults) applyFirstConnection(c, e.defaults);
      s.authFailed = false;
      cleared(c, "authFailed");
      if (s.problem?.kind === "authFailed") s.problem = undefined;
    } else {
      stopRetrying(c);
      // Problems of the old session no longer apply; a rejected key still explains the sign-out.
      if (s.problem?.kind !== "authFailed") s.problem = undefined;
      s.mediaProblem = undefined;
    }
    if (s.phase !== "open") return;
    syncPeriodicTimer(c, false);
    armStatusCheck(c);
    if (newAccount) c.requestCollection("signIn");
  }

  /** A profile's first connection starts with config.json's defaults, before its first sync. */
  function applyFirstConnection(c: Core, defaults: Settings): void {
    s.settings = { ...defaults };
    c.out.do({ type: "saveSettings", settings: { ...defaults } });
  }

  return {
    handle,
    status: () => status(s, env),
    history: () => s.history.map((h) => ({ ...h })),
    snapshot,
    restore,
  };
}

function isSnapshot(x: unknown): x is Snapshot {
  if (typeof x !== "object" || x === null) return false;
  const { v, session, env } = x as Partial<Snapshot>;
  const isObject = (o: unknown) => typeof o === "object" && o !== null && !Array.isArray(o);
  return v === SNAPSHOT_VERSION && isObject(session) && isObject(env);
}
