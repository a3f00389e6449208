// The one place where what the orchestrator reports becomes words for the user:
// triggers, outcomes, reasons for skipping, and problems with what happens next.
// The server is always "Flipnem": Anki's own messages say "AnkiWeb".

import type { HistoryEntry, Problem, SkipReason, Trigger } from "../../core/types";
import { clockTime } from "./time";

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
      return kind === "media" ? "periodic media sync is off in settings" : "automatic sync is off in settings";
    case "signedOut":
      return "not signed in to Flipnem";
    case "mediaOff":
      return "media sync is off in settings";
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
  }
}

/** Why no periodic media sync is coming, as a sentence. */
export function noPeriodicMediaWords(reason: SkipReason): string {
  switch (reason) {
    case "off":
      return "Periodic media sync is off in settings.";
    case "mediaOff":
      return "Media sync is off in settings.";
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
    case "busy":
    case "notIdle":
    case "fullSyncRequired":
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

/** Anki's own messages name AnkiWeb; here the server is Flipnem (web addresses are left alone). */
export function flipnemNames(text: string): string {
  return text.replace(/\bAnkiWeb\b(?!\.\w)/gi, "Flipnem");
}
