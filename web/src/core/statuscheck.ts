// Flipnem's changes come in: a status check every interval (Anki's sync_status, which answers
// from a 300-second cache of the server's answer and needs no collection lock), through the one
// queue. A wake or the network's return checks at once; failures just after are shown nowhere.
// Owns: checking, checkOut, owed.status, lastCheckAt and hideFailuresUntil. What an answer asks
// of others (the rejected key's path, the owed sync) it hands back to the orchestrator.
import type { Core } from "./effects";
import { markWaiting, nothingWaiting, remoteWaiting, tell } from "./notices";
import {
  acceptsLocalChange,
  HIDE_FAILURES_MS,
  readStatus,
  SAFE_POINT_TIMEOUT_SECS,
  situation,
  whyNotStatusCheck,
} from "./policy";
import { fullSyncNeeded } from "./problems";
import { oweBackground, resetBackoff } from "./queue";
import { armStatusCheck } from "./schedule";
import type { CollectionOutcome, StatusRequired } from "./types";

/** A failed check right after a wake is tried again this soon, not an interval later. */
export const STATUS_RETRY_MS = 30_000;

export function requestStatusCheck(c: Core): void {
  if (whyNotStatusCheck(situation(c))) return armStatusCheck(c); // asked again an interval later
  if (c.env.running || c.env.checking) {
    c.s.owed.status = true;
    return;
  }
  c.out.cancel(c.s.owed, "statusCheck");
  c.env.checking = true;
  c.s.checkOut = true;
  c.out.do({ type: "checkStatus", timeoutSecs: SAFE_POINT_TIMEOUT_SECS });
}

/** Run once the queue is free. */
export function runOwedStatusCheck(c: Core): void {
  if (!c.s.owed.status || c.env.running || c.env.checking) return;
  c.s.owed.status = false;
  requestStatusCheck(c);
}

/** What an answer leaves to others: the rejected key's path (then the check is armed again), or changes owed one way. */
export type AnswerNext = "authFailed" | "local" | "remote" | undefined;

export interface StatusAnswer {
  outcome: CollectionOutcome;
  required?: StatusRequired;
  localChanges: boolean;
  message?: string;
}

export function onStatusAnswer(c: Core, e: StatusAnswer): AnswerNext {
  const { s, env } = c;
  if (!env.checking) return; // a stray answer must not wedge the queue
  env.checking = false;
  const mine = s.checkOut;
  s.checkOut = false;
  let next: AnswerNext;
  // an answer about the profile that closed while it was out frees the queue, and says nothing
  if (mine && s.phase === "open" && s.signedIn) {
    s.lastCheckAt = c.now();
    if (e.outcome === "ok") next = learn(c, readStatus(e.required, e.localChanges));
    if (e.outcome === "authFailed") next = "authFailed";
    // other failures are silent: the next check (sooner just after a wake) asks again
    const soon = e.outcome !== "ok" && e.outcome !== "authFailed" && c.now() < env.hideFailuresUntil;
    if (next !== "authFailed") armStatusCheck(c, soon ? STATUS_RETRY_MS : undefined);
  }
  c.out.queueFreed = true;
  return next;
}

function learn(c: Core, what: "none" | "local" | "remote" | "full"): AnswerNext {
  switch (what) {
    case "none":
      nothingWaiting(c);
      return;
    case "local":
      markWaiting(c);
      if (acceptsLocalChange(situation(c))) oweBackground(c);
      return "local";
    case "remote":
      remoteWaiting(c, true);
      return "remote";
    case "full":
      fullSyncNeeded(c);
      tell(c, "fullSyncRequired");
      return;
  }
}

/** The machine woke (or the network came back): catch up now, without showing the expected failures. */
export function catchUp(c: Core): void {
  if (c.s.phase !== "open") return;
  c.env.hideFailuresUntil = c.now() + HIDE_FAILURES_MS;
  resetBackoff(c);
  requestStatusCheck(c);
}
