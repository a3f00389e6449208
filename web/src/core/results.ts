// What a finished sync means: history, last syncs, problems, retries, and the full sync
// choice, and being in step once changes went both ways. A stray report (for a sync the
// orchestrator did not start) is ignored. Owns: the last syncs, lastCheckAt and the "user came back" fact;
// what it means for problems is said to problems.ts.
import { cleared, clearWaiting, tell, watchLasting, type Condition } from "./notices";
import type { Core } from "./effects";
import { addHistory, entry, lastSync } from "./persisted";
import { collectionFailed, collectionOk, keyRejected, mediaFailed, mediaOk } from "./problems";
import {
  dropBackground,
  dropQueued,
  holdForFullSync,
  oweAgain,
  pulled,
  retryAfterFailure,
  stopRetrying,
  syncEnded,
  unqueue,
} from "./queue";
import { syncPeriodicTimer } from "./schedule";
import { asksForFullSyncChoice, hidesFailure, isFailure, revealsSidebar } from "./policy";
import type { CollectionOutcome, MediaOutcome, Trigger } from "./types";

interface CollectionReport {
  outcome: CollectionOutcome;
  message?: string;
  serverMessage?: string;
  counts?: string;
  mediaStarted: boolean;
  /** A probe's answer: false when there was nothing to exchange either way. */
  exchanged?: boolean;
}

const recording = (c: Core) => c.s.phase === "open" || c.s.phase === "closing";

export function onCollectionFinished(c: Core, e: CollectionReport): void {
  const { s, env } = c;
  const run = env.running;
  if (run?.kind !== "collection") return; // a stray report must not wedge the queue
  const now = c.now();
  syncEnded(c, e.mediaStarted);
  if (recording(c)) {
    if (e.outcome === "ok" && e.exchanged === false) {
      // a check that found nothing to exchange: in step, and nothing to tell
      s.lastCheckAt = now;
      inStep(c, run.startedAt);
      stopRetrying(c);
    } else if (isFailure(e.outcome) && hidesFailure(now, env.hideFailuresUntil, run.trigger, c.triggers)) {
      // just after a wake or the network's return: retried (a retry carries both ways), shown nowhere
      retryAfterFailure(c, run.trigger);
    } else {
      addHistory(s.history, entry("collection", run, now, e.outcome, e));
      c.out.historyChanged = true;
      s.lastCollectionSync = lastSync(now, e.outcome, e.message);
      if (e.outcome === "ok") inStep(c, run.startedAt);
      if (e.outcome === "aborted" && c.triggers[run.trigger].atSafePoint) {
        // stopped because the user is back: owed again, and no safe point until they leave Anki alone
        oweAgain(c, run.trigger);
        env.backAtActivity = env.activitySeq;
        // the same input was their return: its pull, queued behind, gives way too (owed, not dropped)
        const queued = s.owed.collection;
        if (queued && c.triggers[queued].inputGraceMs !== undefined) {
          unqueue(c, (t) => t === queued);
          oweAgain(c, queued);
        }
      }
      applyCollectionOutcome(c, run.trigger, e.outcome, e.message);
      revealIfNeeded(c, e.outcome, run.trigger);
      if (isFailure(e.outcome)) watchLasting(c);
    }
  }
  c.out.queueFreed = true;
}

export function onFullSyncFinished(c: Core, e: { outcome: "ok" | "cancelled" | "failed"; message?: string }): void {
  const { s, env } = c;
  const run = env.running;
  if (run?.kind !== "collection") return;
  const now = c.now();
  syncEnded(c);
  if (recording(c)) {
    addHistory(s.history, entry("collection", run, now, e.outcome, e));
    c.out.historyChanged = true;
    if (e.outcome === "ok") {
      collectionOk(c);
      cleared(c, "fullSyncRequired");
      s.lastCollectionSync = lastSync(now, "ok");
      inStep(c, run.startedAt);
    } else {
      collectionFailed(c, "fullSyncRequired", e.message);
    }
  }
  c.out.queueFreed = true;
}

export function applyCollectionOutcome(c: Core, trigger: Trigger, outcome: CollectionOutcome, message?: string): void {
  const { s } = c;
  switch (outcome) {
    case "ok":
      collectionOk(c);
      cleared(c, "fullSyncRequired");
      stopRetrying(c);
      return;
    case "authFailed":
      return onAuthFailed(c, message);
    case "fullSyncRequired":
      stopRetrying(c);
      if (asksForFullSyncChoice(s, trigger, c.triggers)) {
        c.out.do({ type: "chooseFullSync" });
        dropQueued(c, "collection", "fullSyncRequired");
        holdForFullSync(c, trigger);
      } else {
        collectionFailed(c, "fullSyncRequired", message);
      }
      return;
    case "networkError":
    case "serverError":
    case "failed":
      collectionFailed(c, outcome, message);
      retryAfterFailure(c, trigger);
      return;
    case "aborted":
      return;
  }
}

export function onMediaFinished(c: Core, e: { outcome: MediaOutcome; message?: string; counts?: string }): void {
  const { s, env } = c;
  const run = env.running;
  if (run?.kind !== "media") return;
  syncEnded(c);
  const now = c.now();
  // just after a wake or the network's return: the next interval is the retry, shown nowhere
  const hidden = isFailure(e.outcome) && hidesFailure(now, env.hideFailuresUntil, run.trigger, c.triggers);
  if (recording(c) && !hidden) {
    addHistory(s.history, entry("media", run, now, e.outcome, e));
    c.out.historyChanged = true;
    if (e.outcome !== "skipped") s.lastMediaSync = lastSync(now, e.outcome, e.message);
    switch (e.outcome) {
      case "ok":
        mediaOk(c);
        break;
      case "authFailed":
        onAuthFailed(c, e.message);
        break;
      case "networkError":
      case "serverError":
      case "failed":
        // No backoff for media: the next interval is the retry.
        mediaFailed(c, e.message);
        break;
    }
  }
  c.out.queueFreed = true;
}

/** Everything went both ways. A change made while the sync ran is still owed. */
export function inStep(c: Core, syncStartedAt: number): void {
  const { s } = c;
  pulled(c);
  if ((s.lastLocalChangeAt ?? -Infinity) > syncStartedAt) return;
  dropBackground(c);
  unqueue(c, (t) => c.triggers[t].needsBackgroundSwitch);
  clearWaiting(c);
}

/** The two outcomes that need the user show the sidebar with a tooltip, once each; the user at the keyboard is being asked already. */
function revealIfNeeded(c: Core, outcome: string, trigger: Trigger): void {
  // a rejected key is told by its own path
  if (c.s.phase !== "open" || !revealsSidebar(outcome) || outcome === "authFailed") return;
  if (c.triggers[trigger].startedByUser) c.out.do({ type: "revealSidebar" });
  else tell(c, outcome as Condition);
}

/** The one path for a rejected key: forgotten as Anki does, signed out, nothing retried. */
export function onAuthFailed(c: Core, message: string | undefined): void {
  c.out.do({ type: "forgetKey" });
  keyRejected(c, message);
  if (c.s.phase === "open") tell(c, "authFailed");
  stopRetrying(c);
  syncPeriodicTimer(c, false);
}
