// Test-only: a Core over explicit state, for testing one orchestrator module at a time.
// A test file that mocks the queue's requestCollection sees what a module asked the queue
// for in `requested`; `advanced` says whether it left the settle step a freed queue.
import { vi } from "vitest";
import { Effects, type Core } from "../../web/src/core/effects";
import * as queue from "../../web/src/core/queue";
import { newEnvironment, newSession, type Environment, type Session } from "../../web/src/core/state";
import { TRIGGER_TRAITS } from "../../web/src/core/triggers";
import type { Command, Trigger } from "../../web/src/core/types";

export interface TestCore extends Core {
  readonly requested: Trigger[];
  readonly advanced: number;
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
    get requested() {
      const request = queue.requestCollection;
      if (!vi.isMockFunction(request)) throw new Error("mock the queue's requestCollection to see its requests");
      return request.mock.calls.filter(([core]) => core === c).map(([, trigger]) => trigger);
    },
    get advanced() {
      return c.out.queueFreed ? 1 : 0;
    },
    now: () => c.t,
    random: () => 0.5,
    triggers: TRIGGER_TRAITS,
    commands: () => c.out.commands(() => ({ history: s.history })),
  };
  return c;
}
