// Where every outcome on the settings page becomes words for the user. They name Flipnem:
// Anki's own messages say "AnkiWeb"; messages passed through from Python are rewritten by
// the sidebar's flipnemNames, the one place that rewrite is made.
import { flipnemNames } from "../sidebar/words";
import type { SwitchName } from "./form";

export type SignInOutcome = "ok" | "badCredentials" | "unreachable" | "badAddress" | "failed";
export type FullSyncKind = "upload" | "download" | "either";

/** A message from Python or Anki, worded for Flipnem: the sidebar's one rewrite. */
export const flipnemWords = flipnemNames;

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
    label: "Also sync cards in the background when I am idle after changes",
    help: "Sends your changes soon after you make them, never while you review or edit (a sync clears undo).",
  },
};

export const words = {
  unreachable: (server: string): string => `Could not reach ${server}. Check the address and your connection.`,
  badCredentials: "Flipnem did not accept that username and password.",
  noUsername: "Enter your Flipnem username.",
  busy: "A sync is running; try again when it has finished.",
  noPassword: "Enter your password.",
  badAddress: "That address was refused. Check it and try again.",
  signInFailed: (message?: string): string =>
    message ? `Signing in to Flipnem failed: ${flipnemWords(message)}` : "Signing in to Flipnem failed.",
  signOutFailed: (message: string): string => `Signing out failed: ${flipnemWords(message)}`,
  testFailed: (message: string): string => `The connection test could not run: ${flipnemWords(message)}`,
  noProfile: "No Anki profile is open. Open one to change its Flipnem Sync settings.",
  helloFailed: (message: string): string => `Flipnem Sync could not talk to Anki: ${flipnemWords(message)}`,
  saveFailed(code: string, message: string): string {
    if (code === "prefsOpen") return message || "Close Tools > Preferences first, then change the settings here.";
    if (code === "notOpen") return "Not saved: no Anki profile is open.";
    return `Not saved: ${flipnemWords(message)}`;
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
    const why = report.message ? ` ${flipnemWords(report.message)}` : "";
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
  if (required !== "download") choices.push("Upload replaces everything on Flipnem with this profile.");
  if (required !== "upload") choices.push("Download replaces everything in this profile with what is on Flipnem.");
  choices.push("Cancel leaves both sides untouched; nothing syncs until you choose.");
  return {
    intro,
    holds: `This profile holds ${count(localNotes, "note", "notes")} and ${count(localCards, "card", "cards")}.`,
    choices,
    closing: "Nothing is chosen for you.",
  };
}
