// Pure rules of the settings form: what a value may be, and how an account is shown.
import { DEFAULT_SETTINGS, MINUTES_MAX, MINUTES_MIN } from "../../core/defaults";
import type { Settings } from "../../core/types";
import { MINUTES_WORDS as says } from "./words";

export { MINUTES_MAX, MINUTES_MIN };

/** Used only if Python's hello lacks its defaults (it always sends them). */
export const FALLBACK_SETTINGS: Settings = { ...DEFAULT_SETTINGS };

export type SwitchName = "autoSync" | "syncMedia" | "periodicMedia" | "backgroundSync";
export const SWITCHES: readonly SwitchName[] = ["autoSync", "syncMedia", "periodicMedia", "backgroundSync"];

export type WholeResult = { ok: true; value: number } | { ok: false; message: string };
export type MinutesResult = WholeResult;

/** Why a typed whole number is refused, in the words of the field it was typed into. */
export interface WholeWords {
  empty: string;
  notANumber: string;
  notWhole: string;
  outOfRange: string;
}

/** A whole number as typed, within min..max, or what is wrong with it. */
export function parseWhole(text: string, min: number, max: number, says: WholeWords): WholeResult {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: false, message: says.empty };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(trimmed)) return { ok: false, message: says.notANumber };
  const value = Number(trimmed);
  if (!Number.isInteger(value)) return { ok: false, message: says.notWhole };
  if (value < min || value > max) return { ok: false, message: says.outOfRange };
  return { ok: true, value };
}

/** The periodic media interval as typed: whole minutes from 1 to 1440. */
export function parseMinutes(text: string): MinutesResult {
  return parseWhole(text, MINUTES_MIN, MINUTES_MAX, says);
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

/** Settings the form can show: Python checks them too, but the interval's range is the form's rule. */
export function settingsInRange(settings: Settings): boolean {
  return parseMinutes(String(settings.periodicMediaMinutes)).ok;
}

export interface Account {
  signedIn: boolean;
  user?: string;
  server?: string;
}

/** The account as the panel shows it: a signed-out one names no user or server. */
export function accountOf(facts: { signedIn: boolean; user?: string | null; server?: string | null }): Account {
  if (!facts.signedIn) return { signedIn: false };
  const { user, server } = facts;
  return { signedIn: true, ...(user ? { user } : {}), ...(server ? { server } : {}) };
}
