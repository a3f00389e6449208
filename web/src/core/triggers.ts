// What each trigger is, in one table: every rule that depends on what started a sync reads
// its row here, so a new trigger is one row (plus the event that sends it).
// Owns: nothing; a constant table.
import type { Traits, TriggerTable } from "./types";

export type { Traits, TriggerTable };

const user: Traits = {
  rank: 4,
  startedByUser: true,
  fromPage: false,
  midSession: false,
  atSafePoint: false,
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
    rank: 5,
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
  open: { ...automatic, rank: 3, midSession: false, showsProgress: true },
  retry: { ...automatic, rank: 2, atSafePoint: true, owedAs: "retry" },
  background: { ...automatic, rank: 1, atSafePoint: true, owedAs: "background", needsBackgroundSwitch: true },
  pull: { ...automatic, rank: 1, atSafePoint: true, owedAs: "pull", needsBackgroundSwitch: true },
  periodic: { ...automatic, rank: 0 },
};
