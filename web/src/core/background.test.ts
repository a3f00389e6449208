import { describe, expect, it, vi } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { BACKGROUND_DELAY_MS, onBackgroundDue, onLocalChange, owePull, runOwedBackground } from "./background";
import { DEFAULT_SETTINGS } from "./defaults";
import { dropBackground, oweAgain, requestCollection } from "./queue";
import { inStep } from "./results";

// what a module asks the queue for is recorded, not run
vi.mock("./queue", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./queue")>()),
  requestCollection: vi.fn(),
}));

const on = { settings: { ...DEFAULT_SETTINGS, autoSync: true, backgroundSync: true } };
const off = { settings: { ...DEFAULT_SETTINGS, backgroundSync: false } };

describe("changes both ways while Anki is open", () => {
  it("a local change (re)starts the countdown when the switch is on, and starts the lasting-failure watch once", () => {
    const c = testCore(on);
    onLocalChange(c, ["card"]);
    c.t = 1000;
    onLocalChange(c, ["card"]);
    expect(c.s.owed.at.background).toBe(1000 + BACKGROUND_DELAY_MS);
    expect(c.s.changesWaitingSince).toBe(0);
    expect(c.s.localChanges).toBe(true);
    const timers = c.commands().filter((x) => x.type === "setWakeup");
    expect(timers.map((x) => x.type === "setWakeup" && x.timer)).toEqual(["lasting", "background", "background"]);
  });

  it("with the switch off, a change is known (and watched) but nothing is armed to send it", () => {
    const c = testCore(off);
    onLocalChange(c, ["card"]);
    expect(c.s.localChanges).toBe(true);
    expect(c.s.owed.at.background).toBeUndefined();
  });

  it("ignores what is not worth sending, and changes while signed out", () => {
    const c = testCore(on);
    onLocalChange(c, ["browser_table"]);
    const out = testCore({ ...on, signedIn: false });
    onLocalChange(out, ["card"]);
    expect([c.s.localChanges, out.s.localChanges]).toEqual([false, false]);
  });

  it("once due, it asks the queue for one sync", () => {
    const c = testCore(on);
    onBackgroundDue(c);
    expect(c.requested).toEqual(["background"]);
    expect(c.s.owed.background).toBe(false);
  });

  it("owed both ways, one sync carries both; refused for now, both stay owed", () => {
    const c = testCore(on);
    c.s.owed.background = true;
    c.s.owed.pull = true;
    runOwedBackground(c);
    expect(c.requested).toEqual(["background"]);
    const refused = testCore(on);
    refused.s.owed.background = true;
    refused.s.owed.pull = true;
    vi.mocked(requestCollection).mockImplementationOnce((core, t) => oweAgain(core, t));
    runOwedBackground(refused);
    expect(refused.s.owed).toMatchObject({ background: true, pull: true });
  });

  it("Flipnem's changes are owed only with the switch on; either way the sidebar knows of them", () => {
    const c = testCore(on);
    owePull(c);
    expect(c.requested).toEqual(["pull"]);
    const o = testCore(off);
    owePull(o);
    expect([o.requested, o.s.owed.pull]).toEqual([[], false]);
  });

  it("in step after a sync, unless a change came while it ran", () => {
    const c = testCore(on);
    c.t = 5;
    onLocalChange(c, ["card"]);
    inStep(c, 1);
    expect(c.s).toMatchObject({ localChanges: true });
    expect(c.s.changesWaitingSince).toBe(5);
    inStep(c, 5);
    expect(c.s.localChanges).toBe(false);
    expect(c.s.changesWaitingSince).toBeUndefined();
    expect(c.s.owed.at).toEqual({});
  });

  it("a background or pull sync queued behind the sync that just went both ways is not needed", () => {
    const c = testCore(on);
    c.s.owed.collection = "background";
    inStep(c, 1);
    expect(c.s.owed.collection).toBeUndefined();
    c.s.owed.collection = "button";
    inStep(c, 1);
    expect(c.s.owed.collection).toBe("button");
  });

  it("dropping it forgets the owed sync and the countdown", () => {
    const c = testCore(on);
    onLocalChange(c, ["card"]);
    c.s.owed.background = true;
    c.s.owed.pull = true;
    dropBackground(c);
    expect(c.s.owed).toMatchObject({ background: false, pull: false });
    expect(c.s.owed.at.background).toBeUndefined();
  });
});
