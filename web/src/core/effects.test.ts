import { describe, expect, it } from "vitest";
import { Effects } from "./effects";
import { newSession } from "./state";

describe("effects", () => {
  it("timers first, then saved state, then what the host acts on, each in the order decided", () => {
    const out = new Effects();
    const { owed } = newSession();
    out.do({
      type: "syncCollection",
      trigger: "open",
      media: true,
      showProgress: true,
      showServerMessage: false,
      abortOnInput: false,
      probe: false,
    });
    out.arm(owed, "periodicMedia", 900, 100);
    out.do({ type: "continueClose", reason: "synced" });
    out.cancel(owed, "periodicMedia");
    out.historyChanged = true;
    expect(out.commands(() => ({ history: [] })).map((c) => c.type)).toEqual([
      "setWakeup",
      "cancelWakeup",
      "saveState",
      "syncCollection",
      "continueClose",
    ]);
  });

  it("remembers when each wakeup is due, and cancels only what is armed", () => {
    const out = new Effects();
    const { owed } = newSession();
    out.cancel(owed, "retry");
    out.arm(owed, "retry", 30, 1000);
    expect(owed.at.retry).toBe(1030);
    expect(out.commands(() => ({ history: [] }))).toEqual([{ type: "setWakeup", timer: "retry", delayMs: 30 }]);
  });

  it("saves only when history changed", () => {
    expect(new Effects().commands(() => ({ history: [] }))).toEqual([]);
  });

  it("arms a wakeup in whole milliseconds, never early, whatever fraction the event's time had", () => {
    const out = new Effects();
    const { owed } = newSession();
    out.arm(owed, "pauseEnds", 1000.25, 5.5);
    out.arm(owed, "lasting", -3, 5.5);
    expect(out.commands(() => ({ history: [] })).filter((c) => c.type === "setWakeup")).toEqual([
      { type: "setWakeup", timer: "pauseEnds", delayMs: 1001 },
      { type: "setWakeup", timer: "lasting", delayMs: 0 },
    ]);
  });
});
