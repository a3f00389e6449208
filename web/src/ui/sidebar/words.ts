// The sidebar's words, in one place ready for translation: what started a sync, how it ended,
// why one was skipped or waits, what a problem means and what happens next, and every line the
// sidebar's parts show. The core sends codes; they become words here.

import type { HistoryEntry, Problem, SkipReason, Trigger } from "../../core/types";
import type { MissingFeature } from "../../protocol/generated";
import { clockTime } from "./time";

/** Where the switches a hint speaks of are changed (Tools > Preferences > Syncing shows three of them too). */
export const SETTINGS_PLACE = "Tools > Flipnem Sync…";
/** Where the options a hint speaks of are changed: the panel's More section. */
export const MORE_PLACE = `${SETTINGS_PLACE} > More`;

type Kind = HistoryEntry["kind"];

/** What started a sync, as a short label. */
export function triggerWords(trigger: Trigger): string {
  switch (trigger) {
    case "open":
      return "Profile opened";
    case "close":
      return "Profile closing";
    case "periodic":
      return "Media timer";
    case "button":
      return "Anki's Sync button";
    case "sidebar":
      return "Sync now";
    case "retry":
      return "Automatic retry";
    case "background":
      return "After your changes";
    case "pull":
      return "Flipnem's changes";
    case "return":
      return "Back in Anki";
    case "signIn":
      return "Sign-in";
  }
}

export function kindWords(kind: Kind): string {
  return kind === "collection" ? "Collection" : "Media";
}

/** How a sync ended. Outcomes are strings in history, so unknown ones still read. */
export function outcomeWords(outcome: string): string {
  switch (outcome) {
    case "ok":
      return "Synced";
    case "fullSyncRequired":
      return "Needs a full sync";
    case "authFailed":
      return "Sign-in not accepted";
    case "networkError":
      return "Could not reach Flipnem";
    case "serverError":
      return "Flipnem reported an error";
    case "aborted":
      return "Stopped";
    case "failed":
      return "Failed";
    case "skipped":
      return "Skipped";
    default:
      return `Ended (${outcome})`;
  }
}

/** Why the add-on chose not to sync, to follow "Skipped: ". */
export function skipReasonWords(reason: SkipReason, kind: Kind): string {
  switch (reason) {
    case "off":
      return kind === "media"
        ? `periodic media sync is off in ${SETTINGS_PLACE}`
        : `automatic sync is off in ${SETTINGS_PLACE}`;
    case "signedOut":
      return "not signed in to Flipnem";
    case "mediaOff":
      return `media sync is off in ${SETTINGS_PLACE}`;
    case "busy":
      return "another sync was running";
    case "paused":
      return "automatic sync is paused";
    case "closing":
      return "Anki was closing";
    case "notIdle":
      return "you were reviewing or editing";
    case "authFailed":
      return "Flipnem did not accept your sign-in";
    case "fullSyncRequired":
      return "a full sync must be chosen first";
    case "offline":
      return "this computer was offline";
    case "notOpen":
      return "no profile was open";
    case "metered":
      return "the connection is metered";
    case "reviewing":
      return "you were reviewing";
    case "editing":
      return "you were editing";
    case "typing":
      return "you were using Anki";
    case "dialog":
      return "a window was open";
  }
}

/** Why changes owed either way have not gone yet, as a sentence. */
export function waitingWords(reason: SkipReason): string {
  switch (reason) {
    case "reviewing":
      return "They wait while you review: never while a card is shown.";
    case "editing":
      return "They wait while Browse, Add or the editor is open.";
    case "dialog":
      return "They wait while a window is open in Anki.";
    case "typing":
      return `They go once you have left Anki alone for a few seconds (how long: ${MORE_PLACE}).`;
    case "notIdle":
      return "They go once you are back on the deck list.";
    case "metered":
      return `They wait: the connection is metered (allowed in ${MORE_PLACE}).`;
    case "paused":
      return "They wait: automatic sync is paused.";
    case "offline":
      return "They wait: this computer is offline.";
    default:
      return `They wait: ${skipReasonWords(reason, "collection")}.`;
  }
}

/** Why no periodic media sync is coming, as a sentence. */
export function noPeriodicMediaWords(reason: SkipReason): string {
  switch (reason) {
    case "off":
      return `Periodic media sync is off (${SETTINGS_PLACE}).`;
    case "mediaOff":
      return `Media sync is off (${SETTINGS_PLACE}).`;
    case "signedOut":
      return "No periodic media sync: not signed in to Flipnem.";
    case "authFailed":
      return "No periodic media sync until you sign in again.";
    case "paused":
      return "No periodic media sync while automatic sync is paused.";
    case "offline":
      return "No periodic media sync while this computer is offline.";
    case "closing":
      return "No more media syncs: Anki is closing.";
    case "notOpen":
      return "No periodic media sync: no profile is open.";
    case "metered":
      return `No periodic media sync on a metered connection (allowed in ${MORE_PLACE}).`;
    case "busy":
    case "notIdle":
    case "fullSyncRequired":
    case "reviewing":
    case "editing":
    case "typing":
    case "dialog":
      return `No periodic media sync: ${skipReasonWords(reason, "media")}.`;
  }
}

export interface ProblemWords {
  /** What went wrong, in plain words. */
  text: string;
  /** What the add-on will do about it. */
  willDo: string;
  /** What the user can do, when it is not already said in `text`. */
  youCan?: string;
  /** Offer a Sign in button. */
  signIn: boolean;
}

export interface ProblemContext {
  now: number;
  paused: boolean;
  online: boolean;
  nextPeriodicMediaAt?: number;
}

export function problemWords(problem: Problem, ctx: ProblemContext): ProblemWords {
  switch (problem.kind) {
    case "authFailed":
      return {
        text: "Flipnem did not accept your sign-in. Sign in again.",
        willDo: "Automatic sync is stopped until you sign in.",
        signIn: true,
      };
    case "fullSyncRequired":
      return {
        text: "Flipnem and this device changed in ways that cannot be merged. Press Sync now to choose Upload or Download.",
        willDo: "Automatic sync waits until you choose.",
        signIn: false,
      };
    case "networkError":
      return {
        text: "Could not reach Flipnem. Check your internet connection.",
        willDo: retryWords(problem, ctx),
        youCan: "Press Sync now to try again now.",
        signIn: false,
      };
    case "serverError":
      return {
        text: "Flipnem had a problem with the last sync.",
        willDo: retryWords(problem, ctx),
        youCan: "If this keeps happening, copy the history below and send it to Flipnem support.",
        signIn: false,
      };
    case "failed":
      return {
        text: "The last sync with Flipnem did not finish.",
        willDo: retryWords(problem, ctx),
        youCan: "Press Sync now to try again. If it keeps failing, copy the history below for Flipnem support.",
        signIn: false,
      };
    case "mediaFailed":
      return {
        text: "Audio and images could not sync with Flipnem.",
        willDo:
          ctx.nextPeriodicMediaAt === undefined
            ? "They will try again with the next sync."
            : `Trying again at ${clockTime(ctx.nextPeriodicMediaAt, ctx.now)}, with the next media sync.`,
        youCan: "Press Sync now to try again now.",
        signIn: false,
      };
  }
}

function retryWords(problem: Problem, ctx: ProblemContext): string {
  if (problem.retryAt !== undefined) return `Retrying at ${clockTime(problem.retryAt, ctx.now)}.`;
  if (!ctx.online) return "Will retry when the network is back.";
  if (ctx.paused) return "Automatic sync is paused: no retry until you resume it.";
  return "Will try again with the next sync.";
}

/** What this Anki cannot do for the add-on, one line each: the feature is off and says why. */
export const MISSING_WORDS: Record<MissingFeature, string> = {
  network:
    "This Anki cannot tell when the network comes back (its Qt has no network information here), so a failed sync waits for its retry time.",
  metering:
    "This Anki cannot tell a metered connection (its Qt has no network information here), so syncs never wait for one.",
};

/** The lines of the sidebar's parts (Now, Last, Next, History, In step). */
export const words = {
  // Now
  idle: "Nothing is syncing.",
  announcePaused: "Automatic sync is paused.",
  announceLast: "Flipnem Sync: last sync",
  waitingForChoice: "Waiting for Upload or Download",
  syncing: (kind: Kind): string => (kind === "collection" ? "Syncing the collection…" : "Syncing audio and images…"),
  started: (trigger: Trigger, ago: string): string => `${triggerWords(trigger)} · started ${ago}`,
  queued: (triggers: readonly Trigger[]): string => `Then: ${triggers.map(triggerWords).join(", ")}`,
  closesAfterMedia: "Anki closes when audio and images finish syncing.",
  closesAfterSync: "Anki closes when this sync finishes.",
  closing: "Anki is closing.",
  // Last
  notYet: "Not yet",
  // Next
  noPeriodicMedia: "Periodic media sync: not scheduled.",
  mediaAt: (when: string): string => `Media sync at ${when}.`,
  retryAt: (when: string): string => `Collection sync retry at ${when}.`,
  /** "10:57 (in 14 min)" */
  clockAndDistance: (clock: string, distance: string): string => `${clock} (${distance})`,
  // History
  what: (kind: Kind, trigger: Trigger): string => `${kindWords(kind)} · ${triggerWords(trigger)}`,
  skipped: (reason: SkipReason | undefined, kind: Kind): string =>
    reason ? `Skipped: ${skipReasonWords(reason, kind)}` : "Skipped",
  syncedIn: (took: string): string => `Synced in ${took}`,
  endedAfter: (outcome: string, took: string): string => `${outcomeWords(outcome)} after ${took}`,
  gaveWay: (took: string): string => `Gave way to you after ${took}: it goes again at the next pause`,
  serverMessage: (text: string): string => `Message from Flipnem: ${text}`,
  /** The history copied for support: its head line, its columns, and an empty one. */
  historyHeader: (version: string | undefined, copied: string, offset: string): string =>
    `Flipnem Sync${version ? ` v${version}` : ""} history, newest first, copied ${copied} (UTC${offset})`,
  historyColumns: "time | kind | trigger | result | duration | details",
  noHistory: "(no syncs recorded)",
  // In step
  localChanges: (keepsInStep: boolean): string =>
    keepsInStep
      ? "Changes waiting to sync: they go at the next pause."
      : "Changes waiting to sync: they go when Anki closes, or with Sync now.",
  checked: (ago: string): string => `Checked Flipnem for changes ${ago}.`,
  pausedUntil: (clock: string): string => `Automatic sync is paused until ${clock}.`,
  pausedUntilRestart: "Automatic sync is paused until Anki restarts.",
  backgroundOnNotice:
    "Flipnem Sync now keeps Anki and Flipnem in step while Anki is open, whenever you leave it alone for a few seconds on the deck list.",
};
