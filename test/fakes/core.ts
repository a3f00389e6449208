// Test-only: a Core over explicit state, for testing one orchestrator module at a time.
// requestCollection and advance are recorded instead of run, so a test sees what a module asked for.
import type { Core } from "../../web/src/core/core";
import { Effects } from "../../web/src/core/effects";
import { TRIGGER_TRAITS } from "../../web/src/core/triggers";
import { newEnvironment, newSession, type Environment, type Session } from "../../web/src/core/state";
import type { Command, Trigger } from "../../web/src/core/types";

export interface TestCore extends Core {
  requested: Trigger[];
  advanced: number;
  /** How many times the queue's owed work was asked to run. */
  ranOwed: number;
  t: number;
  commands(): Command[];
}

export function testCore(session: Partial<Session> = {}, env: Partial<Environment> = {}): TestCore {
  const s: Session = { ...newSession(), phase: "open", signedIn: true, ...session };
  const c: TestCore = {
    s,
    env: { ...newEnvironment(), ...env },
    out: new Effects(),
    t: 0,
    requested: [],
    advanced: 0,
    ranOwed: 0,
    now: () => c.t,
    random: () => 0.5,
    triggers: TRIGGER_TRAITS,
    requestCollection: (trigger) => void c.requested.push(trigger),
    advance: () => void (c.advanced += 1),
    runOwed: () => void (c.ranOwed += 1),
    commands: () => c.out.commands(() => ({ history: s.history })),
  };
  return c;
}
