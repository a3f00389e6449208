import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COLLECTION_OUTCOMES, Driver, scriptArb, type Action } from "../../../test/fakes/randomSessions";
import { TRIGGER_TRAITS, type Traits, type TriggerTable } from "./triggers";
import { TRIGGERS, type Trigger } from "./types";

const having = (trait: keyof Traits) => TRIGGERS.filter((t) => TRIGGER_TRAITS[t][trait]);

describe("the trigger table", () => {
  it("has one row for each trigger of the protocol", () => {
    expect(Object.keys(TRIGGER_TRAITS).sort()).toEqual([...TRIGGERS].sort());
  });

  it("says what each trigger is, as the rules have always read it", () => {
    expect(having("startedByUser")).toEqual(["button", "sidebar", "signIn"]);
    expect(having("midSession")).toEqual(["periodic", "retry", "background", "pull", "return"]);
    expect(having("atSafePoint")).toEqual(["retry", "background", "pull", "return"]);
    expect(having("waitsForQuiet")).toEqual(["retry", "background", "pull"]);
    expect(having("inputGraceMs")).toEqual(["return"]);
    expect(having("probe")).toEqual(["pull", "return"]);
    expect(having("owedAs")).toEqual(["retry", "background", "pull", "return"]);
    expect(TRIGGER_TRAITS.return.owedAs).toBe("pull");
    expect(having("needsBackgroundSwitch")).toEqual(["background", "pull", "return"]);
    expect(having("closesProfile")).toEqual(["close"]);
    expect(having("fromPage")).toEqual(["sidebar"]);
    expect(having("showsProgress")).toEqual(["open", "close", "button", "sidebar", "signIn"]);
    expect(having("showsServerMessage")).toEqual(["button", "sidebar"]);
    expect(TRIGGERS.filter((t) => !TRIGGER_TRAITS[t].retried)).toEqual(["close"]);
    expect(having("hidesFailures")).toEqual(["open", "periodic", "retry", "background", "pull", "return"]);
    const ranked = [...TRIGGERS].sort((a, b) => TRIGGER_TRAITS[b].rank - TRIGGER_TRAITS[a].rank);
    expect(ranked.map((t) => TRIGGER_TRAITS[t].rank)).toEqual([6, 5, 5, 5, 4, 3, 2, 1, 1, 0]);
    expect(ranked.slice(5, 7)).toEqual(["retry", "return"]);
  });
});

// A keyboard shortcut that syncs, added the way a real trigger is: one row (and its event, a
// syncRequested from Python). Made up, so the protocol's type does not know its name.
const SHORTCUT = "shortcut" as Trigger;
const WITH_SHORTCUT = {
  ...TRIGGER_TRAITS,
  [SHORTCUT]: { ...TRIGGER_TRAITS.button, showsServerMessage: false },
} as TriggerTable;

describe("a made-up trigger, added as one row", { timeout: 60_000 }, () => {
  it("keeps every promise of the random sessions, and its syncs follow its row", () => {
    let ran = 0;
    const run = (seed: number, script: Action[]) => {
      const d = new Driver(seed, WITH_SHORTCUT);
      for (const a of script) d.act(a);
      d.drain();
      expect(d.pending).toEqual([]);
      expect(d.host.continues).toBe(d.host.closings);
      for (const c of d.host.log) {
        if (c.type !== "syncCollection" || c.trigger !== SHORTCUT) continue;
        ran += 1;
        expect(c).toMatchObject({ showProgress: true, showServerMessage: false, abortOnInput: false });
      }
    };
    const presses: Trigger[] = ["button", "sidebar", SHORTCUT];
    fc.assert(fc.property(fc.integer(), scriptArb(COLLECTION_OUTCOMES, 2, presses), run), { numRuns: 300 });
    expect(ran).toBeGreaterThan(30); // the made-up trigger did run
  });
});
