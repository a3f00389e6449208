// The sync orchestrator: every decision about when to sync, as a pure function of the events
// the host reports; time comes from deps.now, waiting is a `setWakeup` the host turns into a
// Qt timer. It only dispatches: each event goes to the handler that decides it, then one settle
// step advances the queue and runs what is owed. Where one event needs two handlers, they are
// called here in turn, so handlers never import one another. Owns: nothing of the state.

import {
  catchUp,
  onBackgroundDue,
  onCheckDue,
  onLeft,
  onLocalChange,
  onReturned,
  runOwedBackground,
} from "./background";
import { finishClose, onCloseSkipped, onProfileClosing, onSkipCloseWait, skipMediaWaitIfAsked } from "./close";
import { Effects, type Core, type OrchestratorDeps } from "./effects";
import { watchLasting } from "./notices";
import { armPauseEnd, onPauseChanged, pauseOver, restorePause } from "./pause";
import { onPeriodicWakeup } from "./periodic";
import { persisted } from "./persisted";
import {
  onAccountChanged,
  onDismissNotice,
  onOptionsChanged,
  onProfileOpened,
  onSettingsChanged,
  sessionFor,
} from "./profile";
import { advance, requestCollection } from "./queue";
import { onCollectionFinished, onFullSyncFinished, onMediaFinished } from "./results";
import { onNetworkBack, runOwedRetry } from "./retry";
import { restartChecks, syncPeriodicTimer } from "./schedule";
import { onActivity, onNetwork, onProgress, type Movement } from "./sensed";
import { newEnvironment, newSession, type Session } from "./state";
import { readSnapshot, takeSnapshot } from "./snapshot";
import { status } from "./status";
import { TRIGGER_TRAITS } from "./triggers";
import { NotAnOrchestratorEvent } from "./types";
import type { Command, Orchestrator, OrchestratorEvent, TimerName } from "./types";

export { BACKGROUND_DELAY_MS } from "./background";
export { restoreState } from "./persisted";

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
        const { session, pausedUntil } = sessionFor(e); // a sync still running keeps the queue busy
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
        return onProgress(c, "collection", e.stage);
      case "mediaSyncProgress":
        return onProgress(c, "media", e.text);
      case "collectionSyncFinished":
        return onCollectionFinished(c, e);
      case "mediaSyncFinished":
        return onMediaFinished(c, e);
      case "fullSyncFinished":
        return onFullSyncFinished(c, e);
      case "settingsChanged":
        return onSettingsChanged(c, e.settings);
      case "optionsChanged":
        return onOptionsChanged(c, e.options);
      case "activityChanged":
        return onMoved(onActivity(c, e));
      case "localChange":
        return onLocalChange(c, e.kinds);
      case "pauseChanged":
        return pauseChanged(c, e.paused, e.until);
      case "dismissNotice":
        return onDismissNotice(c);
      case "networkChanged":
        if (onNetwork(c, e)) {
          onNetworkBack(c);
          catchUp(c);
        }
        return syncPeriodicTimer(c, false);
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
    if (s.phase !== "open" || !c.out.fired(s.owed, timer)) return;
    switch (timer) {
      case "retry":
        return requestCollection(c, "retry");
      case "background":
        return onBackgroundDue(c);
      case "statusCheck":
        return onCheckDue(c);
      case "pauseEnds":
        return expirePause(c, true);
      case "lasting":
        return watchLasting(c, true);
      case "periodicMedia":
        return onPeriodicWakeup(c);
    }
  }

  function onMoved(movement: Movement): void {
    if (movement === "left") return onLeft(c);
    if (movement === "returned") return onReturned(c);
    if (movement === "there") return restartChecks(c);
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
}

/** The pause set or ended; at its end, what it held runs. */
export function pauseChanged(c: Core, paused: boolean, until?: number): void {
  onPauseChanged(c, paused, until);
  if (paused) return;
  runOwedRetry(c);
  runOwedBackground(c);
}

/** A timed pause that is over (its timer fired, or the wall clock passed it during a sleep) ends. */
export function expirePause(c: Core, timerFired = false): void {
  if (pauseOver(c, timerFired)) pauseChanged(c, false);
}
