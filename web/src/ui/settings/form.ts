// Pure rules of the settings form: what a value may be, and what Python's replies hold.
import { DEFAULT_SETTINGS, MINUTES_MAX, MINUTES_MIN } from "../../core/defaults";
import type { Settings } from "../../core/types";

export { MINUTES_MAX, MINUTES_MIN };

/** Used only if Python's hello lacks its defaults (it always sends them). */
export const FALLBACK_SETTINGS: Settings = { ...DEFAULT_SETTINGS };

export type SwitchName = "autoSync" | "syncMedia" | "periodicMedia" | "backgroundSync";
export const SWITCHES: readonly SwitchName[] = ["autoSync", "syncMedia", "periodicMedia", "backgroundSync"];

export type MinutesResult = { ok: true; value: number } | { ok: false; message: string };

/** The periodic media interval as typed: whole minutes from 1 to 1440. */
export function parseMinutes(text: string): MinutesResult {
  const trimmed = text.trim();
  const range = `from ${MINUTES_MIN} to ${MINUTES_MAX}`;
  if (trimmed === "") return { ok: false, message: `Enter the number of minutes, ${range}.` };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) {
    return { ok: false, message: `Enter a number of minutes ${range}.` };
  }
  const value = Number(trimmed);
  if (!Number.isInteger(value)) return { ok: false, message: `Use whole minutes ${range}.` };
  if (value < MINUTES_MIN || value > MINUTES_MAX) return { ok: false, message: `Choose ${range} minutes.` };
  return { ok: true, value };
}

export function settingsEqual(a: Settings, b: Settings): boolean {
  return (
    a.autoSync === b.autoSync &&
    a.syncMedia === b.syncMedia &&
    a.periodicMedia === b.periodicMedia &&
    a.periodicMediaMinutes === b.periodicMediaMinutes &&
    a.backgroundSync === b.backgroundSync
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A Settings object from Python, or null if it is not one (then it is ignored, never half-used). */
export function parseSettings(value: unknown): Settings | null {
  if (!isRecord(value)) return null;
  for (const name of SWITCHES) if (typeof value[name] !== "boolean") return null;
  const minutes = value.periodicMediaMinutes;
  if (typeof minutes !== "number" || !parseMinutes(String(minutes)).ok) return null;
  return {
    autoSync: value.autoSync as boolean,
    syncMedia: value.syncMedia as boolean,
    periodicMedia: value.periodicMedia as boolean,
    periodicMediaMinutes: minutes,
    backgroundSync: value.backgroundSync as boolean,
  };
}

export interface Account {
  signedIn: boolean;
  user?: string;
  server?: string;
}

export interface Hello {
  version: string;
  problems: string[];
  /** Null when no profile is open (or it is closing). */
  session: { account: Account; settings: Settings } | null;
  defaults: { server: string; settings: Settings };
  keyAccepted: boolean | null;
  /** A sync is running now (Python's fact; the panel follows it from the sync events). */
  busy: boolean;
  /** Tools > Preferences is open: it writes its form back when it closes. */
  preferencesOpen: boolean;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

export function parseAccount(value: Record<string, unknown>): Account {
  const signedIn = value.signedIn === true;
  if (!signedIn) return { signedIn };
  const user = optionalString(value.user);
  const server = optionalString(value.server);
  return { signedIn, ...(user ? { user } : {}), ...(server ? { server } : {}) };
}

/** Python's reply to hello {page: "settings"}; anything missing or malformed falls back, named in problems. */
export function parseHello(value: unknown): Hello {
  const reply = isRecord(value) ? value : {};
  const problems = Array.isArray(reply.problems) ? reply.problems.filter((p) => typeof p === "string") : [];
  const defaults = isRecord(reply.defaults) ? reply.defaults : {};
  const defaultSettings = parseSettings(defaults.settings) ?? FALLBACK_SETTINGS;
  let session: Hello["session"] = null;
  if (isRecord(reply.session)) {
    let settings = parseSettings(reply.session.settings);
    if (!settings) {
      problems.push("Flipnem Sync could not read this profile's settings; the defaults are shown.");
      settings = defaultSettings;
    }
    session = { account: parseAccount(reply.session), settings };
  }
  return {
    version: typeof reply.version === "string" ? reply.version : "",
    problems,
    session,
    defaults: { server: optionalString(defaults.server) ?? "", settings: defaultSettings },
    keyAccepted: typeof reply.keyAccepted === "boolean" ? reply.keyAccepted : null,
    busy: reply.busy === true,
    preferencesOpen: reply.preferencesOpen === true,
  };
}
