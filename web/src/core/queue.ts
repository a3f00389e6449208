// Single flight: one sync at a time, and what runs next. Triggers that arrive while a sync
// runs are coalesced into one follow-up per kind; the most important trigger names it.
import { oweAgain } from "./background";
import { finishClose, skipMediaWaitIfAsked } from "./close";
import { recordSkip, situation, type Core } from "./core";
import { mediaAlongside, SAFE_POINT_TIMEOUT_SECS, refusedRetry, whyNotCollection, whyNotPeriodicMedia } from "./policy";
import type { Owed } from "./state";
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
  if (env.running || env.checking) {
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
  });
}

export function requestMedia(c: Core, trigger: Trigger): void {
  const why = whyNotPeriodicMedia(situation(c));
  if (why) return recordSkip(c, "media", trigger, why);
  if (c.env.running || c.env.checking) {
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

/** After a sync or a status check ends: run what was queued, then what is owed, or let a closing profile close. */
export function advance(c: Core): void {
  if (c.env.running) return skipMediaWaitIfAsked(c, c.env.running);
  if (c.env.checking) return;
  // A queued sync may now be refused (settings changed, signed out…): try the next.
  while (!c.env.running) {
    const next = takeNext(c.s.owed);
    if (!next) {
      if (c.s.phase === "closing") return finishClose(c);
      return c.runOwed();
    }
    if (next.kind === "collection") requestCollection(c, next.trigger);
    else requestMedia(c, next.trigger);
  }
}
