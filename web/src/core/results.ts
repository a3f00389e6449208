// What a finished sync means: history, last syncs, problems, retries, and the full sync
// choice. A stray report (for a sync the orchestrator did not start) is ignored.
import { dropBackground } from "./background";
import { dropQueued } from "./close";
import type { Core } from "./core";
import { addHistory, entry, lastSync, problem } from "./persisted";
import { syncPeriodicTimer } from "./periodic";
import { asksForFullSyncChoice, revealsSidebar } from "./policy";
import { retryAfterFailure, stopRetrying } from "./retry";
import type { CollectionOutcome, MediaOutcome, Trigger } from "./types";

interface CollectionReport {
  outcome: CollectionOutcome;
  message?: string;
  serverMessage?: string;
  counts?: string;
  mediaStarted: boolean;
}

const recording = (c: Core) => c.s.phase === "open" || c.s.phase === "closing";

export function onCollectionFinished(c: Core, e: CollectionReport): void {
  const { s, env } = c;
  const run = env.running;
  if (run?.kind !== "collection") return; // a stray report must not wedge the queue
  const now = c.now();
  env.running = e.mediaStarted ? { kind: "media", trigger: run.trigger, startedAt: now } : null;
  // Media running on after this sync serves any queued media sync.
  if (e.mediaStarted) s.owed.media = undefined;
  if (recording(c)) {
    addHistory(s.history, entry("collection", run, now, e.outcome, e));
    c.out.historyChanged = true;
    s.lastCollectionSync = lastSync(now, e.outcome, e.message);
    applyCollectionOutcome(c, run.trigger, e.outcome, e.message);
    revealIfNeeded(c, e.outcome);
  }
  c.advance();
}

export function onFullSyncFinished(c: Core, e: { outcome: "ok" | "cancelled" | "failed"; message?: string }): void {
  const { s, env } = c;
  const run = env.running;
  if (run?.kind !== "collection") return;
  const now = c.now();
  env.running = null;
  if (recording(c)) {
    addHistory(s.history, entry("collection", run, now, e.outcome, e));
    c.out.historyChanged = true;
    if (e.outcome === "ok") {
      s.problem = undefined;
      s.lastCollectionSync = lastSync(now, "ok");
    } else {
      s.problem = problem("fullSyncRequired", e.message);
    }
  }
  c.advance();
}

/** Also how a page started again takes up the last sync's outcome (seen as a retry: an automatic trigger). */
export function applyCollectionOutcome(c: Core, trigger: Trigger, outcome: CollectionOutcome, message?: string): void {
  const { s } = c;
  switch (outcome) {
    case "ok":
      s.problem = undefined;
      stopRetrying(c);
      dropBackground(c); // whatever changed locally has just gone to Flipnem
      return;
    case "authFailed":
      return onAuthFailed(c, message);
    case "fullSyncRequired":
      stopRetrying(c);
      if (asksForFullSyncChoice(s, trigger)) {
        c.out.do({ type: "chooseFullSync" });
        dropQueued(c, "collection", "fullSyncRequired");
        // Anki's choice, and the upload or download after it, hold the queue like any sync
        c.env.running = { kind: "collection", trigger, startedAt: c.now(), stage: "Waiting for Upload or Download" };
      } else {
        s.problem = problem("fullSyncRequired", message);
      }
      return;
    case "networkError":
    case "serverError":
    case "failed":
      s.problem = problem(outcome, message);
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
  env.running = null;
  if (recording(c)) {
    const now = c.now();
    addHistory(s.history, entry("media", run, now, e.outcome, e));
    c.out.historyChanged = true;
    if (e.outcome !== "skipped") s.lastMediaSync = lastSync(now, e.outcome, e.message);
    switch (e.outcome) {
      case "ok":
        s.mediaProblem = undefined;
        break;
      case "authFailed":
        onAuthFailed(c, e.message);
        revealIfNeeded(c, e.outcome);
        break;
      case "networkError":
      case "serverError":
      case "failed":
        // No backoff for media: the next interval is the retry.
        s.mediaProblem = problem("mediaFailed", e.message);
        break;
    }
  }
  c.advance();
}

/** The two outcomes that need the user show the sidebar, while the profile is open. */
function revealIfNeeded(c: Core, outcome: string): void {
  if (c.s.phase === "open" && revealsSidebar(outcome)) c.out.do({ type: "revealSidebar" });
}

/** The one path for a rejected key: forgotten as Anki does, signed out, nothing retried. */
function onAuthFailed(c: Core, message: string | undefined): void {
  c.out.do({ type: "forgetKey" });
  c.s.signedIn = false;
  c.s.authFailed = true;
  c.s.problem = problem("authFailed", message);
  stopRetrying(c);
  syncPeriodicTimer(c, false);
}
