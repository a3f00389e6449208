// The settings panel's words, in one place ready for translation: the switches, sign-in and
// the connection test, saving, and the full sync choice. Python sends codes; they become words
// here, and Anki's own text (shown as it came) names Flipnem through flipnemNames.

import type { FullSyncKind } from "../../protocol/generated";
import { flipnemNames } from "../names";
import type { SwitchName, WholeWords } from "./form";
import { MINUTES_MAX, MINUTES_MIN } from "../../core/defaults";

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
    help: "Sends your changes and brings Flipnem's once you have left Anki alone for a few seconds on the deck list or a deck's overview (the time is under More); never while you review, type or edit. A sync clears Undo, so Undo on the overview works until then.",
  },
};

export const words = {
  unreachable: (server: string): string => `Could not reach ${server}. Check the address and your connection.`,
  badCredentials: "Flipnem did not accept that username and password.",
  noUsername: "Enter your Flipnem username.",
  busy: "A sync is running; try again when it has finished.",
  noPassword: "Enter your password.",
  badAddress: "That address was refused. Check it and try again.",
  profileClosed: "The profile was closed before signing in finished. Sign in again.",
  signInFailed: (message?: string): string =>
    message ? `Signing in to Flipnem failed: ${flipnemNames(message)}` : "Signing in to Flipnem failed.",
  signOutFailed: (message: string): string => `Signing out failed: ${flipnemNames(message)}`,
  testFailed: (message: string): string => `The connection test could not run: ${flipnemNames(message)}`,
  settingsUnreadable: "Flipnem Sync could not read this profile's settings; the defaults are shown.",
  noProfile: "No Anki profile is open. Open one to change its Flipnem Sync settings.",
  helloFailed: (message: string): string => `Flipnem Sync could not talk to Anki: ${flipnemNames(message)}`,
  optionSaved: (label: string, value: string): string => `Saved: ${label} ${value}.`,
  optionNotSaved: (label: string): string => `Not saved: ${label}. See the message under it.`,
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

const range = `from ${MINUTES_MIN} to ${MINUTES_MAX}`;

/** Why a number typed into one of More's fields is refused. */
export function wholeWords(min: number, max: number): WholeWords {
  const within = `from ${min} to ${max}`;
  return {
    empty: `Enter a number ${within}.`,
    notANumber: `That is not a number: enter one ${within}.`,
    notWhole: `Enter a whole number ${within}.`,
    outOfRange: `Enter a number ${within}.`,
  };
}

/** Why a typed interval is refused. */
export const MINUTES_WORDS = {
  empty: `Enter the number of minutes, ${range}.`,
  notANumber: `Enter a number of minutes ${range}.`,
  notWhole: `Use whole minutes ${range}.`,
  outOfRange: `Choose ${range} minutes.`,
};

/** Why a typed server address is refused (the page's check, and Python's codes for the same rules). */
export const ADDRESS_WORDS = {
  empty: "Enter the address of the sync server.",
  noScheme: "The address must start with https://, for example https://sync.example.com/.",
  didYouMean: (url: string): string => `The address must start with https:// (did you mean ${url}?).`,
  notWeb: "The address must start with https://.",
  credentials: "Leave the username and password out of the address; enter them in their own fields.",
  queryOrFragment: "The address cannot contain “?” or “#”.",
  noHost: "The address has no server name.",
  spaces: "The address cannot contain spaces.",
  backslash: "The address cannot contain a backslash (\\); use /.",
  invalid: "That is not a valid web address.",
  rewritten: "Write the server name as your host gives it, for example sync.example.com.",
  plainHttp: "Use https:// — plain http:// is allowed only for this computer (localhost, 127.0.0.1, [::1]).",
};

/** Python's codes for a request it refused that the panel words; others show the text Python sent. */
const REFUSED: Record<string, string> = {
  missing: "Enter your Flipnem username and password.",
};

/** The rule an address broke (Python sends its code), or Anki's own text about it. */
export function addressRefused(codeOrText: string): string {
  const said = Object.hasOwn(ADDRESS_WORDS, codeOrText) ? ADDRESS_WORDS[codeOrText as keyof typeof ADDRESS_WORDS] : "";
  return typeof said === "string" && said ? said : flipnemNames(codeOrText) || words.badAddress;
}

/** Why Python refused a request, in words: its code when it has one, else the text it sent. */
export function refusedWords(code: string, message: string): string {
  if (code === "badAddress") return addressRefused(message);
  return REFUSED[code] ?? message;
}
