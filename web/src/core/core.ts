// What every part of the orchestrator works on while it handles one event: the state, the
// effects so far (with what the settle step owes the queue), and the injected clock.
import type { Effects } from "./effects";
import { addHistory, repeatsLastSkip, skipEntry } from "./persisted";
import { situationOf, type Situation } from "./policy";
import type { Environment, Session } from "./state";
import type { TriggerTable } from "./triggers";
import type { HistoryEntry, SkipReason, Trigger } from "./types";

export interface Core {
  readonly s: Session;
  readonly env: Environment;
  /** What the event being handled asks of the host; fresh for each event. */
  out: Effects;
  /** What each trigger is (the table, or a test's extension of it). */
  readonly triggers: TriggerTable;
  now(): number;
  random(): number;
}

/** The session and the host's situation, as the policies read them. */
export function situation(c: Core): Situation {
  return situationOf(c.s, c.env);
}

/** Records a decision not to sync, once per story for timers. */
export function recordSkip(c: Core, kind: HistoryEntry["kind"], trigger: Trigger, reason: SkipReason): void {
  if (c.s.phase === "notOpen" || c.s.phase === "closed") return;
  if (repeatsLastSkip(c.s.history, kind, trigger, reason, c.triggers)) return;
  addHistory(c.s.history, skipEntry(kind, trigger, reason, c.now()));
  c.out.historyChanged = true;
}
