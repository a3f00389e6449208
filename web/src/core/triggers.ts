// What each trigger is, in one table: every rule that depends on what started a sync reads
// its row here, so a new trigger is one row (plus the event that sends it).
// Owns: nothing; a constant table.
import type { Trigger } from "../protocol/generated";

/** What a trigger is: every rule that depends on what started a sync reads one of these (core/triggers.ts). */
export interface Traits {
  /** When triggers coalesce into the one queued collection sync, the highest names it. */
  rank: number;
  /** The user is at the keyboard: settings and pause never hold it, and they may be asked to choose a full sync. */
  startedByUser: boolean;
  /** Sent from the sidebar page itself, not from Python. */
  fromPage: boolean;
  /** Runs mid-session without the user asking: held by a needed full sync, offline or metered; a repeated skip is one story. */
  midSession: boolean;
  /** Waits for a safe point, and is stopped at the user's first input with a short network timeout. */
  atSafePoint: boolean;
  /** At a safe point, also waits until the user has left Anki alone for the idle time (or left Anki). */
  waitsForQuiet: boolean;
  /** Input this soon after it starts does not stop it: the input that started it is the user's return. */
  inputGraceMs?: number;
  /**
   * Asks Flipnem first, as a normal sync does: when nothing is to exchange, one request goes out and
   * nothing that surrounds a sync runs (Anki's sync hooks, its refresh, a history entry).
   */
  probe: boolean;
  /** Stays owed (under this name) while a safe point, a pause or the network holds it. */
  owedAs?: "retry" | "background" | "pull";
  /** Sent only while "Keep in sync while Anki is open" is on; dropped when everything went both ways. */
  needsBackgroundSwitch: boolean;
  /** The close sync: the one that runs while the profile closes, whose media wait the user may skip. */
  closesProfile: boolean;
  /** Shows Anki's own progress window: the user waits for it. */
  showsProgress: boolean;
  /** A message from Flipnem is shown in a window. */
  showsServerMessage: boolean;
  /** A failure is retried on backoff (while auto sync is on). */
  retried: boolean;
  /** A failure just after a wake or the network's return is expected: retried, shown nowhere. */
  hidesFailures: boolean;
}

export type TriggerTable = Readonly<Record<Trigger, Readonly<Traits>>>;

const user: Traits = {
  rank: 5,
  startedByUser: true,
  fromPage: false,
  midSession: false,
  atSafePoint: false,
  waitsForQuiet: false,
  probe: false,
  needsBackgroundSwitch: false,
  closesProfile: false,
  showsProgress: true,
  showsServerMessage: true,
  retried: true,
  hidesFailures: false,
};

const automatic: Traits = {
  rank: 0,
  startedByUser: false,
  fromPage: false,
  midSession: true,
  atSafePoint: false,
  waitsForQuiet: false,
  probe: false,
  needsBackgroundSwitch: false,
  closesProfile: false,
  showsProgress: false,
  showsServerMessage: false,
  retried: true,
  hidesFailures: true,
};

export const TRIGGER_TRAITS: TriggerTable = {
  close: {
    ...automatic,
    rank: 6,
    midSession: false,
    closesProfile: true,
    showsProgress: true,
    retried: false,
    hidesFailures: false,
  },
  button: user,
  sidebar: { ...user, fromPage: true },
  // the first sync after signing in is the user's own, but no window of Flipnem's words follows it
  signIn: { ...user, showsServerMessage: false },
  open: { ...automatic, rank: 4, midSession: false, showsProgress: true },
  retry: { ...automatic, rank: 3, atSafePoint: true, waitsForQuiet: true, owedAs: "retry" },
  // the user came back to Anki after a while elsewhere: Flipnem's changes come in at once
  return: {
    ...automatic,
    rank: 2,
    atSafePoint: true,
    inputGraceMs: 1000,
    probe: true,
    owedAs: "pull",
    needsBackgroundSwitch: true,
  },
  background: {
    ...automatic,
    rank: 1,
    atSafePoint: true,
    waitsForQuiet: true,
    owedAs: "background",
    needsBackgroundSwitch: true,
  },
  // the idle checks, and Flipnem's changes owed since a return that could not pull them
  pull: {
    ...automatic,
    rank: 1,
    atSafePoint: true,
    waitsForQuiet: true,
    probe: true,
    owedAs: "pull",
    needsBackgroundSwitch: true,
  },
  periodic: { ...automatic, rank: 0 },
};
