// The one place where outcomes become words for the user: the sidebar's (triggers, outcomes,
// reasons for skipping, problems with what happens next) and the settings panel's (sign-in,
// connection test, saving, the full sync choice). They name Flipnem: Anki's own messages say
// "AnkiWeb", and flipnemNames is the one rewrite.

import type { HistoryEntry, Problem, SkipReason, Trigger } from "../core/types";
import type { MissingFeature } from "../protocol/generated";
import type { SwitchName } from "./settings/form";
import { clockTime } from "./sidebar/time";

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
      return "They go once you have left Anki alone for a minute.";
    case "notIdle":
      return "They go once you are back on the deck list.";
    case "metered":
      return "They wait: the connection is metered (allowed in Tools > Add-ons > Config).";
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
    case "metered":
      return "No periodic media sync on a metered connection (allowed in Tools > Add-ons > Config).";
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

/** Anki's own messages name AnkiWeb; here the server is Flipnem (web addresses are left alone). */
export function flipnemNames(text: string): string {
  return text.replace(/\bAnkiWeb\b(?!\.\w)/gi, "Flipnem");
}

// ---- the settings panel ----

export type SignInOutcome = "ok" | "badCredentials" | "unreachable" | "badAddress" | "failed";
export type FullSyncKind = "upload" | "download" | "either";

/** The seed's wording for each switch, and a one-line help. */
export const SWITCH_TEXT: Record<SwitchName, { label: string; help: string }> = {
  autoSync: {
    label: "Automatically sync on profile open/close",
    help: "Syncs your collection every time you open or close Anki. Off: sync only when you click Sync.",
  },
  syncMedia: {
    label: "Synchronize audio and images too",
    help: "Includes media files (images, audio) in every sync. Off: only card data is synced.",
  },
  periodicMedia: {
    label: "Periodically sync media",
    help: "Re-syncs media in the background while Anki is open, silently; if the server is down it tries again next time.",
  },
  backgroundSync: {
    label: "Keep in sync while Anki is open",
    help: "Sends your changes and brings Flipnem's once you have left Anki alone for a minute on the deck list or a deck's overview; never while you review, type or edit. A sync clears Undo, so Undo on the overview works until then.",
  },
};

/** What this Anki cannot do for the add-on, one line each: the feature is off and says why. */
export const MISSING_WORDS: Record<MissingFeature, string> = {
  network:
    "This Anki cannot tell when the network comes back (its Qt has no network information here), so a failed sync waits for its retry time.",
  metering:
    "This Anki cannot tell a metered connection (its Qt has no network information here), so syncs never wait for one.",
};

export const words = {
  remoteChanges: (keepsInStep: boolean): string =>
    keepsInStep ? "Flipnem has changes: they come in at the next pause." : "Flipnem has changes: Sync now brings them.",
  localChanges: (keepsInStep: boolean): string =>
    keepsInStep
      ? "Changes waiting to sync: they go at the next pause."
      : "Changes waiting to sync: they go when Anki closes, or with Sync now.",
  backgroundOnNotice:
    "Flipnem Sync now keeps Anki and Flipnem in step while Anki is open, whenever you leave it alone for a minute on the deck list.",
  gaveWay: (took: string): string => `Gave way to you after ${took}: it goes again at the next pause`,
  unreachable: (server: string): string => `Could not reach ${server}. Check the address and your connection.`,
  badCredentials: "Flipnem did not accept that username and password.",
  noUsername: "Enter your Flipnem username.",
  busy: "A sync is running; try again when it has finished.",
  noPassword: "Enter your password.",
  badAddress: "That address was refused. Check it and try again.",
  signInFailed: (message?: string): string =>
    message ? `Signing in to Flipnem failed: ${flipnemNames(message)}` : "Signing in to Flipnem failed.",
  signOutFailed: (message: string): string => `Signing out failed: ${flipnemNames(message)}`,
  testFailed: (message: string): string => `The connection test could not run: ${flipnemNames(message)}`,
  settingsUnreadable: "Flipnem Sync could not read this profile's settings; the defaults are shown.",
  noProfile: "No Anki profile is open. Open one to change its Flipnem Sync settings.",
  helloFailed: (message: string): string => `Flipnem Sync could not talk to Anki: ${flipnemNames(message)}`,
  saveFailed(code: string, message: string): string {
    if (code === "prefsOpen") return message || "Close Tools > Preferences first, then change the settings here.";
    if (code === "notOpen") return "Not saved: no Anki profile is open.";
    return `Not saved: ${flipnemNames(message)}`;
  },
};

export interface ConnectionReport {
  server: string;
  reachable: boolean;
  roundTripMs?: number;
  message?: string;
}

/** The lines shown after "Test connection". */
export function connectionLines(report: ConnectionReport, keyAccepted: boolean | null): string[] {
  const lines: string[] = [];
  if (report.reachable) {
    const ms = report.roundTripMs === undefined ? "" : ` in ${Math.round(report.roundTripMs)} ms`;
    lines.push(`Reachable: ${report.server} answered${ms}.`);
  } else {
    const why = report.message ? ` ${flipnemNames(report.message)}` : "";
    lines.push(`Not reachable: could not reach ${report.server}.${why}`);
  }
  if (keyAccepted === true) lines.push("Flipnem accepted your key at the last sync.");
  else if (keyAccepted === false) lines.push("Flipnem refused your key at the last sync: sign out and sign in again.");
  else lines.push("No sync has checked your key yet.");
  return lines;
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

export interface FullSyncText {
  intro: string;
  holds: string;
  choices: string[];
  closing: string;
}

/** The plain-words explanation shown just before Anki asks to upload or download. */
export function fullSyncText(required: FullSyncKind, localNotes: number, localCards: number): FullSyncText {
  const intro = {
    either:
      "This profile and Flipnem each hold a collection, and the two cannot be merged. Anki is about to ask which one to keep.",
    upload:
      "This profile and Flipnem cannot be merged, so Anki is about to ask whether to upload this profile to Flipnem.",
    download: "This profile and Flipnem cannot be merged, so Anki is about to ask whether to download from Flipnem.",
  }[required];
  const choices: string[] = [];
  if (required !== "download")
    choices.push(
      "Upload replaces everything on Flipnem with this profile. Flipnem Sync first saves Flipnem's collection beside Anki's backups, and says where.",
    );
  if (required !== "upload")
    choices.push(
      "Download replaces everything in this profile with what is on Flipnem. Anki first backs up this profile, as it does before every download.",
    );
  choices.push("Cancel leaves both sides untouched; nothing syncs until you choose.");
  return {
    intro,
    holds: `This profile holds ${count(localNotes, "note", "notes")} and ${count(localCards, "card", "cards")}.`,
    choices,
    closing: "Nothing is chosen for you.",
  };
}
