import { describe, expect, it } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { DEFAULT_TUNING } from "./defaults";
import { cleared, clearWaiting, markWaiting, tell, watchLasting } from "./notices";

const HOUR = 3_600_000;

describe("told once, never in a dialog", () => {
  it("a condition opens the sidebar with a tooltip once, and again only after it cleared", () => {
    const c = testCore();
    tell(c, "lasting");
    tell(c, "lasting");
    expect(c.commands().map((x) => x.type)).toEqual(["saveState", "revealSidebar", "notify"]);
    cleared(c, "lasting");
    tell(c, "lasting");
    expect(c.commands().filter((x) => x.type === "notify")).toHaveLength(2);
  });

  it("while closing nothing can be told: it is not marked as told either", () => {
    const c = testCore({ phase: "closing" });
    tell(c, "lasting");
    expect(c.s.noticed).toEqual([]);
    expect(c.commands()).toEqual([]);
  });

  it("lasting failure: changes waiting past the limit while syncs keep failing (wall clock), not while they simply wait", () => {
    const c = testCore({ tuning: { ...DEFAULT_TUNING, lastingFailureMinutes: 240 } });
    markWaiting(c);
    expect(c.s.owed.at.lasting).toBe(4 * HOUR);
    c.t = 5 * HOUR;
    watchLasting(c);
    expect(c.s.noticed).toEqual([]); // no failure: the changes wait for a safe point
    c.s.lastCollectionSync = { at: c.t, outcome: "networkError" };
    watchLasting(c);
    watchLasting(c);
    expect(c.s.noticed).toEqual(["lasting"]);
    expect(c.commands().filter((x) => x.type === "notify")).toHaveLength(1);
  });

  it("its timer counts as the limit passed, for a failure that comes after it", () => {
    const c = testCore();
    markWaiting(c);
    watchLasting(c, true);
    expect(c.s.noticed).toEqual([]);
    c.s.lastCollectionSync = { at: 1, outcome: "serverError" };
    watchLasting(c);
    expect(c.s.noticed).toEqual(["lasting"]);
  });

  it("everything sent clears the watch and the notice, so the next lasting failure is told again", () => {
    const c = testCore();
    markWaiting(c);
    c.s.noticed.push("lasting");
    clearWaiting(c);
    expect(c.s.changesWaitingSince).toBeUndefined();
    expect(c.s.noticed).toEqual([]);
    expect(c.s.owed.at.lasting).toBeUndefined();
  });
});
