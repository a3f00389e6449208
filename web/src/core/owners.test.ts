// Who writes each piece of state: every assignment to a field of the session, the environment,
// what is owed or the running sync, found by reading the core's modules, must come from the
// module named here. A new writer fails this test; so does a field with no owner.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { newEnvironment, newSession } from "./state";

/** One owner per field. */
const OWNERS: Record<string, string> = {
  profile: "profile.ts",
  user: "profile.ts",
  server: "profile.ts",
  settings: "profile.ts",
  tuning: "profile.ts",
  notice: "profile.ts",
  history: "persisted.ts",
  lastCollectionSync: "results.ts",
  lastMediaSync: "results.ts",
  backAtActivity: "results.ts",
  owed: "queue.ts",
  // each module arms its own timers through Effects, which also strikes off a fired one
  at: "effects.ts",
  collection: "queue.ts",
  media: "queue.ts",
  waitingFor: "queue.ts",
  running: "queue.ts",
  retryAttempt: "queue.ts",
  retryFor: "queue.ts",
  retry: "queue.ts",
  background: "queue.ts",
  pull: "queue.ts",
  lastLocalChangeAt: "background.ts",
  closeReason: "close.ts",
  skipMediaWait: "close.ts",
  abortSent: "close.ts",
  lastCheckAt: "results.ts",
  checkRound: "schedule.ts",
  hideFailuresUntil: "background.ts",
  authFailed: "problems.ts",
  signedIn: "problems.ts",
  // a session is opened by building it (profile.ts); only the close moves it on
  phase: "close.ts",
  problem: "problems.ts",
  mediaProblem: "problems.ts",
  changesWaitingSince: "notices.ts",
  localChanges: "notices.ts",
  noticed: "notices.ts",
  lastingDue: "notices.ts",
  paused: "pause.ts",
  pausedUntil: "pause.ts",
  // the sensed facts and the running sync's progress: written only by their events
  place: "sensed.ts",
  quiet: "sensed.ts",
  active: "sensed.ts",
  activitySeq: "sensed.ts",
  online: "sensed.ts",
  metered: "sensed.ts",
  stage: "sensed.ts",
  progress: "sensed.ts",
};

/** Still written from more than one module: each a known debt, listed so it cannot grow unseen. */
const SHARED: Record<string, string[]> = {};

// Modules that build a whole new state rather than write into the one in use.
const BUILDERS = new Set(["state.ts", "snapshot.ts"]);

const DIR = import.meta.dirname;
const ROOT = String.raw`(?<![\w.])(?:c\.)?(?:s|env|owed|running|history)`;
const WRITES = [
  new RegExp(ROOT + String.raw`(?:\??\.\w+)*\.(\w+)(?:\[[^\]]*\])?\s*(?:=(?![=>])|\+=|-=|\|\|=|&&=|\?\?=)`, "g"),
  new RegExp(ROOT + String.raw`(?:\.\w+)*\.(\w+)\.(?:push|splice|pop|shift|unshift)\(`, "g"),
  new RegExp(String.raw`delete\s+` + ROOT + String.raw`(?:\.\w+)*\.(\w+)`, "g"),
];

function writers(): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const files = readdirSync(DIR).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts") && !BUILDERS.has(f));
  for (const f of files) {
    const code = readFileSync(join(DIR, f), "utf8")
      .replace(/\/\*[\s\S]*?\*\//g, "")
      .replace(/\/\/.*/g, "");
    const names = WRITES.flatMap((re) => [...code.matchAll(re)].map((m) => m[1]!));
    if (/(?<![\w.])history\.(?:push|splice)\(/.test(code)) names.push("history");
    for (const n of names) {
      if (!found.has(n)) found.set(n, new Set());
      found.get(n)!.add(f);
    }
  }
  return found;
}

describe("every piece of state has its writers named", () => {
  const found = writers();
  const fields = [...Object.keys(OWNERS), ...Object.keys(SHARED)];

  it("each field is written only by its owner", () => {
    for (const [field, owner] of Object.entries(OWNERS)) {
      for (const w of found.get(field) ?? []) expect(w, field).toBe(owner);
    }
  });

  it("the fields still shared have exactly the writers listed", () => {
    for (const [field, ws] of Object.entries(SHARED)) expect([...(found.get(field) ?? [])].sort(), field).toEqual(ws);
  });

  it("every field of the session and the environment has an owner", () => {
    const state = [...Object.keys(newSession()), ...Object.keys(newEnvironment())];
    for (const k of state) expect(fields, k).toContain(k);
  });
});
