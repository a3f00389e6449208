import { describe, expect, it } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { DEFAULT_SETTINGS } from "./defaults";
import { onPeriodicWakeup } from "./periodic";
import { syncPeriodicTimer } from "./schedule";

const settings = { ...DEFAULT_SETTINGS, syncMedia: true, periodicMedia: true, periodicMediaMinutes: 15 };

describe("periodic media", () => {
  it("arms the wakeup once; a restart counts a new interval from now", () => {
    const c = testCore({ settings });
    syncPeriodicTimer(c, false);
    syncPeriodicTimer(c, false);
    c.t = 5000;
    syncPeriodicTimer(c, true);
    expect(c.commands()).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * 60_000 },
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * 60_000 },
    ]);
    expect(c.s.owed.at.periodicMedia).toBe(5000 + 15 * 60_000);
  });

  it("cancels it when media is off, and keeps it while paused", () => {
    const c = testCore({ settings }, { paused: true });
    syncPeriodicTimer(c, false);
    c.s.settings = { ...settings, syncMedia: false };
    syncPeriodicTimer(c, false);
    expect(c.commands().map((x) => x.type)).toEqual(["setWakeup", "cancelWakeup"]);
  });

  it("a wakeup runs media and arms the next", () => {
    const c = testCore({ settings });
    onPeriodicWakeup(c);
    expect(c.commands()).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * 60_000 },
      { type: "syncMedia", trigger: "periodic" },
    ]);
  });
});
