// The sync orchestrator: every decision about when to sync, as a pure function of the
// events the host reports. No DOM, no timers, no clock of its own: time comes from
// deps.now, waiting is a `setWakeup` command the host turns into a Qt timer. The host
// carries out one command at a time and reports back (syncCollection → collectionSyncStarted
// … collectionSyncFinished, syncMedia → … mediaSyncFinished, setWakeup → wakeup).
//
// This file only dispatches: each event goes to the module that decides it, then one settle
// step advances the queue and runs what is owed. It owns the sensed facts (place, quiet,
// activitySeq, online, metered), which only their events write.

import { onBackgroundDue, onLocalChange, runOwedBackground } from "./background";
import { finishClose, onCloseSkipped, onProfileClosing, onSkipCloseWait, skipMediaWaitIfAsked } from "./close";
import { Effects, type Core } from "./effects";
import { watchLasting } from "./notices";
import { armPauseEnd, expirePause, onPauseChanged, restorePause } from "./pause";
import { onPeriodicWakeup, syncPeriodicTimer } from "./periodic";
import { persisted } from "./persisted";
import { onAccountChanged, onDismissNotice, onProfileOpened, onSettingsChanged, sessionFor } from "./profile";
import { advance, requestCollection } from "./queue";
import { onCollectionFinished, onFullSyncFinished, onMediaFinished } from "./results";
import { onNetworkBack, runOwedRetry } from "./retry";
import { catchUp, onStatusChecked, requestStatusCheck, runOwedStatusCheck } from "./statuscheck";
import { newEnvironment, newSession, type Session } from "./state";
import { readSnapshot, takeSnapshot } from "./snapshot";
import { status } from "./status";
import { TRIGGER_TRAITS, type TriggerTable } from "./triggers";
import type { Command, Orchestrator, OrchestratorEvent, TimerName } from "./types";

export { BACKGROUND_DELAY_MS } from "./background";
export { restoreState } from "./persisted";

export interface OrchestratorDeps {
  now: () => number;
  /** In [0, 1); used only for retry jitter. */
  random: () => number;
  /** What each trigger is; a test may extend the table with a made-up trigger. */
  triggers?: TriggerTable;
}

export class NotAnOrchestratorEvent extends Error {
  constructor(readonly eventType: unknown) {
    super(`not an orchestrator event: ${typeof eventType === "string" ? eventType : typeof eventType}`);
  }
}

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
  };

  function handle(event: OrchestratorEvent, at?: number): Command[] {
    c.out = new Effects();
    seenAt = at;
    try {
      // a timed pause that ended while the machine slept ends before anything else is decided
      if (!(event.type === "wakeup" && event.timer === "pauseEnds")) expirePause(c);
      dispatch(event);
      settle(c);
      return c.out.commands(() => persisted(s, env.paused ? env.pausedUntil : undefined));
    } finally {
      seenAt = undefined;
    }
  }

  function dispatch(e: OrchestratorEvent): void {
    switch (e.type) {
      case "profileOpened": {
        // A new session; a sync still running from the last one keeps the queue busy.
        const { session, pausedUntil } = sessionFor(e);
        s = session;
        restorePause(c, pausedUntil);
        onProfileOpened(c, e);
        return armPauseEnd(c);
      }
      case "profileClosing":
        return onProfileClosing(c);
      case "skipCloseWait":
        return onSkipCloseWait(c);
      case "closeSkipped":
        return onCloseSkipped(c);
      case "wakeup":
        return onWakeup(e.timer);
      case "syncRequested":
        return requestCollection(c, e.trigger);
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
        env.activitySeq += 1;
        c.out.owedMayRun = true;
        return;
      case "localChange":
        return onLocalChange(c, e.kinds);
      case "pauseChanged":
        return onPauseChanged(c, e.paused, e.until);
      case "dismissNotice":
        return onDismissNotice(c);
      case "networkChanged": {
        const back = e.online && !env.online;
        env.online = e.online;
        if (e.metered !== undefined) env.metered = e.metered;
        if (back) {
          onNetworkBack(c);
          catchUp(c);
        }
        syncPeriodicTimer(c, false);
        c.out.owedMayRun = true;
        return;
      }
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

  function onWakeup(timer: TimerName): void {
    if (s.phase !== "open") return;
    if (s.owed.at[timer] === undefined) return; // cancelled or replaced: stale
    delete s.owed.at[timer];
    switch (timer) {
      case "retry":
        return requestCollection(c, "retry");
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

  function restore(raw: unknown): boolean {
    const state = readSnapshot(raw);
    if (!state) return false;
    s = state.session;
    Object.assign(env, state.env);
    return true;
  }

  return {
    handle,
    status: () => status(s, env),
    history: () => s.history.map((h) => ({ ...h })),
    snapshot: () => takeSnapshot(s, env),
    restore,
  };
}

/** The one place the queue moves on, after each event: what was queued runs, then what is owed, or a closing profile closes. */
export function settle(c: Core): void {
  if (c.out.queueFreed) {
    if (c.env.running) return skipMediaWaitIfAsked(c, c.env.running);
    if (!advance(c)) return;
    if (c.s.phase === "closing") return finishClose(c);
    return runOwed(c);
  }
  if (c.out.owedMayRun) runOwed(c);
}

/** What is owed, in order of need, once the queue is free and each may run. */
function runOwed(c: Core): void {
  if (c.s.phase !== "open") return;
  runOwedRetry(c);
  runOwedBackground(c);
  runOwedStatusCheck(c);
}
