// What every part of the orchestrator works on while it handles one event: the state, the
// effects so far (with what the settle step owes the queue), and the injected clock.
// Owns: nothing; each module says what it owns, and owners.test.ts checks the writers.
import type { Effects } from "./effects";
import type { Environment, Session } from "./state";
import type { TriggerTable } from "./types";

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
