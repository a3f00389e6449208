// Settings and pause, taking effect at once.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, settings, opened, lastEntry, syncOf } from "../../../test/fakes/scenarios";
import { BACKGROUND_DELAY_MS } from "./orchestrator";

describe("9. settings take effect at once", () => {
  it("a new interval counts from now", () => {
    const host = opened();
    host.t = 10 * MIN;
    expect(host.send({ type: "settingsChanged", settings: settings({ periodicMediaMinutes: 30 }) })).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 30 * MIN },
    ]);
    expect(host.orchestrator.status().nextPeriodicMediaAt).toBe(40 * MIN);
    host.tick(29 * MIN);
    expect(only(host.log, "syncMedia")).toEqual([]);
    host.tick(1 * MIN);
    expect(only(host.log, "syncMedia")).toHaveLength(1);
  });

  it("an unrelated change leaves the media timer alone", () => {
    const host = opened();
    expect(host.send({ type: "settingsChanged", settings: settings({ backgroundSync: true }) })).toEqual([]);
  });

  it("periodic media off cancels the timer; on arms it", () => {
    const host = opened();
    expect(host.send({ type: "settingsChanged", settings: settings({ periodicMedia: false }) })).toEqual([
      { type: "cancelWakeup", timer: "periodicMedia" },
    ]);
    expect(host.send({ type: "settingsChanged", settings: settings() })).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN },
    ]);
  });

  it("media off: no media timer and collection syncs without media", () => {
    const host = opened();
    host.send({ type: "settingsChanged", settings: settings({ syncMedia: false }) });
    expect(host.timers.has("periodicMedia")).toBe(false);
    expect(actions(host.send({ type: "syncRequested", trigger: "button" }))).toEqual([
      syncOf("button", { media: false }),
    ]);
  });

  it("auto sync off: no close sync, and pending retries stop", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    expect(host.send({ type: "settingsChanged", settings: settings({ autoSync: false }) })).toEqual([
      { type: "cancelWakeup", timer: "retry" },
    ]);
    expect(only(host.send({ type: "profileClosing" }), "syncCollection")).toEqual([]);
    expect(host.continues).toBe(1);
  });

  it("a non-positive interval means no timer", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ periodicMediaMinutes: 0 }) });
    expect(host.timers.has("periodicMedia")).toBe(false);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("off");
  });
});

describe("10. pause", () => {
  it("stops retries with a reason, and runs the owed retry on resume", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    host.send({ type: "pauseChanged", paused: true });
    expect(only(host.tick(30_000), "syncCollection")).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "retry", skippedReason: "paused" });
    expect(only(host.send({ type: "pauseChanged", paused: false }), "syncCollection")).toEqual([syncOf("retry")]);
  });

  it("stops background syncs", () => {
    const host = opened({ backgroundSync: true });
    host.send({ type: "pauseChanged", paused: true });
    host.send({ type: "localChange", kinds: ["card"] });
    expect(only(host.tick(BACKGROUND_DELAY_MS), "syncCollection")).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "background", skippedReason: "paused" });
  });

  it("covers open and close too: what waits goes at the next sync after it", () => {
    const host = new FakeHost();
    host.send({ type: "pauseChanged", paused: true });
    expect(only(host.open(), "syncCollection")).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "open", skippedReason: "paused" });
    expect(only(host.send({ type: "profileClosing" }), "syncCollection")).toEqual([]);
    expect(only(host.log, "continueClose")).toEqual([{ type: "continueClose", reason: "paused" }]);
    expect(host.orchestrator.status().paused).toBe(true);
  });
});
