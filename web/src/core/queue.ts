// Single flight: one sync at a time, and what runs next. Triggers that arrive while a sync
// runs are coalesced into one follow-up per kind; the most important trigger names it.
// Owns what runs (env.running), what is owed (s.owed, s.waitingFor) and
// the retries' backoff (retryAttempt, retryFor); it calls no handler, so a request never comes
// back round to it.
import { retryDelayMs } from "./backoff";
import type { Core } from "./effects";
import {
  mediaAlongside,
  refusedRetry,
  SAFE_POINT_TIMEOUT_SECS,
  shouldRetry,
  situation,
  whyNotCollection,
  whyNotPeriodicMedia,
} from "./policy";
import { recordSkip } from "./persisted";
import type { Owed } from "./types";
import { TRIGGER_TRAITS, type TriggerTable } from "./triggers";
import type { SkipReason, Trigger } from "./types";

/** When triggers are coalesced into the one pending collection sync, the highest wins. */
export const RANK: Readonly<Record<Trigger, number>> = Object.fromEntries(
  Object.entries(TRIGGER_TRAITS).map(([t, traits]) => [t, traits.rank]),
) as Record<Trigger, number>;

/** The trigger that names the follow-up once `trigger` joins `queued`. */
export function coalesce(queued: Trigger | undefined, trigger: Trigger, table: TriggerTable = TRIGGER_TRAITS): Trigger {
  return queued === undefined || table[trigger].rank > table[queued].rank ? trigger : queued;
}

/** What runs once the queue is free: the collection first, then media. Takes it off the queue. */
export function takeNext(owed: Owed): { kind: "collection" | "media"; trigger: Trigger } | undefined {
  if (owed.collection) {
    const trigger = owed.collection;
    owed.collection = undefined;
    return { kind: "collection", trigger };
  }
  if (owed.media) {
    const trigger = owed.media;
    owed.media = undefined;
    return { kind: "media", trigger };
  }
  return undefined;
}

// ---- running the queue ----------------------------------------------------------------

export function requestCollection(c: Core, trigger: Trigger): void {
  const { s, env } = c;
  const why = whyNotCollection(situation(c), trigger, c.triggers);
  if (why) return refuseCollection(c, trigger, why);
  if (env.running) {
    s.owed.collection = coalesce(s.owed.collection, trigger, c.triggers);
    return;
  }
  const traits = c.triggers[trigger];
  const media = mediaAlongside(s.settings, trigger, s.skipMediaWait, c.triggers);
  env.running = { kind: "collection", trigger, startedAt: c.now() };
  s.waitingFor = undefined;
  const quick = traits.atSafePoint;
  c.out.do({
    type: "syncCollection",
    trigger,
    media,
    showProgress: traits.showsProgress,
    showServerMessage: traits.showsServerMessage,
    abortOnInput: quick,
    ...(quick ? { timeoutSecs: SAFE_POINT_TIMEOUT_SECS } : {}),
    ...(quick && traits.inputGraceMs ? { inputGraceMs: traits.inputGraceMs } : {}),
    probe: traits.probe,
  });
}

export function requestMedia(c: Core, trigger: Trigger): void {
  const why = whyNotPeriodicMedia(situation(c));
  if (why) return recordSkip(c, "media", trigger, why);
  if (c.env.running) {
    c.s.owed.media ??= trigger;
    return;
  }
  c.env.running = { kind: "media", trigger, startedAt: c.now() };
  c.out.do({ type: "syncMedia", trigger });
}

function refuseCollection(c: Core, trigger: Trigger, why: SkipReason): void {
  if (c.triggers[trigger].owedAs) {
    const wait = refusedRetry(why);
    if (wait !== "record") oweAgain(c, trigger);
    if (wait === "waitQuietly") return; // not a skip: it runs at the next safe point
    // what still waits is said once per reason, not at every look
    if (wait === "waitAndRecord" && c.s.waitingFor === why) return;
    if (wait === "waitAndRecord") c.s.waitingFor = why;
  }
  recordSkip(c, "collection", trigger, why);
}

/** After a sync ends: run what was queued. True when nothing runs and nothing is queued. */
export function advance(c: Core): boolean {
  if (c.env.running) return false;
  // A queued sync may now be refused (settings changed, signed out…): try the next.
  while (!c.env.running) {
    const next = takeNext(c.s.owed);
    if (!next) return true;
    if (next.kind === "collection") requestCollection(c, next.trigger);
    else requestMedia(c, next.trigger);
  }
  return false;
}

/** The running sync ended; media running on after a collection sync serves any queued media sync. */
export function syncEnded(c: Core, mediaStarted = false): void {
  const run = c.env.running;
  c.env.running = mediaStarted && run ? { kind: "media", trigger: run.trigger, startedAt: c.now() } : null;
  if (mediaStarted) c.s.owed.media = undefined;
}

/** Anki's choice, and the upload or download after it, hold the queue like any sync. */
export function holdForFullSync(c: Core, trigger: Trigger): void {
  c.env.running = { kind: "collection", trigger, startedAt: c.now(), waitingForChoice: true };
}

/** A queued collection sync that is no longer needed goes, unrecorded. */
export function unqueue(c: Core, needless: (trigger: Trigger) => boolean): void {
  if (c.s.owed.collection && needless(c.s.owed.collection)) c.s.owed.collection = undefined;
}

/** A sync stopped by the user's return, or not yet allowed: what it carries is owed again. */
export function oweAgain(c: Core, trigger: Trigger): void {
  const as = c.triggers[trigger].owedAs;
  if (as) c.s.owed[as] = true;
}

/** A queued sync that will not run after all, recorded as skipped. */
export function dropQueued(c: Core, kind: "collection" | "media", reason: SkipReason): void {
  const trigger = c.s.owed[kind];
  if (!trigger) return;
  recordSkip(c, kind, trigger, reason);
  c.s.owed[kind] = undefined;
}

/** Local changes may no longer go in the background (the switch, or auto sync, turned off). */
export function dropBackground(c: Core): void {
  c.s.owed.background = false;
  c.s.owed.pull = false;
  c.out.cancel(c.s.owed, "background");
}

/** What is owed in either direction, taken off to go as one sync: this device's changes name it. */
export function takeOwedBackground(c: Core): { trigger: Trigger; pull: boolean } | undefined {
  const { owed } = c.s;
  if (!owed.background && !owed.pull) return undefined;
  const taken = { trigger: owed.background ? "background" : "pull", pull: owed.pull } as const;
  owed.background = false;
  owed.pull = false;
  return taken;
}

/** A background sync refused for now is owed again; Flipnem's changes it carried wait with it. */
export function keepPullOwed(c: Core, pull: boolean): void {
  if (c.s.owed.background) c.s.owed.pull ||= pull;
}

export function oweBackground(c: Core): void {
  c.s.owed.background = true;
}

export function owePullSync(c: Core): void {
  c.s.owed.pull = true;
}

/** Everything went both ways: nothing is owed from Flipnem. */
export function pulled(c: Core): void {
  c.s.owed.pull = false;
}

// ---- retries: silent retries of automatic collection syncs, with backoff ----------------

/** After a failed sync: retry on backoff when it was an automatic sync worth retrying. */
export function retryAfterFailure(c: Core, trigger: Trigger): void {
  if (!shouldRetry(situation(c), trigger, c.triggers)) return;
  const delay = retryDelayMs(c.s.retryAttempt, c.random);
  c.s.retryAttempt += 1;
  c.s.retryFor = trigger;
  c.s.owed.retry = false;
  dropQueuedRetry(c); // the backoff supersedes it
  c.out.arm(c.s.owed, "retry", delay, c.now());
}

export function stopRetrying(c: Core): void {
  c.out.cancel(c.s.owed, "retry");
  dropQueuedRetry(c);
  c.s.owed.retry = false;
  c.s.retryAttempt = 0;
  c.s.retryFor = undefined;
}

function dropQueuedRetry(c: Core): void {
  unqueue(c, (t) => t === "retry");
}

/** The retry owed while the user was busy, paused or offline, taken off to run: true when one was owed. */
export function takeOwedRetry(c: Core): boolean {
  if (!c.s.owed.retry) return false;
  c.s.owed.retry = false;
  return true;
}

/** A closing profile owes no retry. */
export function forgetOwedRetry(c: Core): void {
  c.s.owed.retry = false;
}

/** The outage that caused the backoff is probably over: the retry is owed now, from the start. */
export function resetBackoff(c: Core): void {
  c.s.retryAttempt = 0;
  if (c.s.owed.at.retry !== undefined) {
    c.out.cancel(c.s.owed, "retry");
    c.s.owed.retry = true;
  }
}
