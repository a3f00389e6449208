// Periodic media: a wakeup every interval while it is wanted.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, settings, opened, lastEntry } from "../../../test/fakes/scenarios";

describe("4. periodic media", () => {
  it("syncs media every interval and re-arms", () => {
    const host = opened();
    expect(host.tick(15 * MIN)).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN },
      { type: "syncMedia", trigger: "periodic" },
    ]);
    host.finishMedia("ok");
    host.tick(15 * MIN);
    expect(only(host.log, "syncMedia")).toHaveLength(2);
    expect(host.orchestrator.status().nextPeriodicMediaAt).toBe(45 * MIN);
  });

  it("records a failure, shows it, and simply tries again at the next interval", () => {
    const host = opened();
    host.tick(15 * MIN);
    host.t += 2_000;
    const commands = host.finishMedia("serverError", "503");
    expect(only(commands, "setWakeup")).toEqual([]); // no backoff for media
    const st = host.orchestrator.status();
    expect(st.lastMediaSync).toEqual({ at: 15 * MIN + 2_000, outcome: "serverError", message: "503" });
    expect(st.problem).toEqual({ kind: "mediaFailed", message: "503" });
    expect(lastEntry(host)).toMatchObject({ kind: "media", outcome: "serverError", durationMs: 2_000 });

    host.tick(15 * MIN);
    expect(host.running).toMatchObject({ kind: "media", trigger: "periodic" });
    host.finishMedia("ok");
    expect(host.orchestrator.status().problem).toBeUndefined();
  });

  it("does not wait for the user to be idle", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "review", quiet: false });
    expect(only(host.tick(15 * MIN), "syncMedia")).toHaveLength(1);
  });

  it("skips while paused but keeps ticking", () => {
    const host = opened();
    host.send({ type: "pauseChanged", paused: true });
    expect(actions(host.tick(15 * MIN))).toEqual([{ type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN }]);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("paused");
    host.send({ type: "pauseChanged", paused: false });
    expect(only(host.tick(15 * MIN), "syncMedia")).toHaveLength(1);
  });

  it("skips while offline", () => {
    const host = opened();
    host.send({ type: "networkChanged", online: false });
    host.tick(15 * MIN);
    expect(lastEntry(host)).toMatchObject({ kind: "media", skippedReason: "offline" });
    expect(host.timers.has("periodicMedia")).toBe(true);
  });

  it("has no timer when periodic media is off, and says so", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ periodicMedia: false }) });
    expect(only(host.log, "setWakeup")).toEqual([]);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("off");
  });

  it("ignores a wakeup for a timer it cancelled", () => {
    const host = opened();
    host.send({ type: "settingsChanged", settings: settings({ periodicMedia: false }) });
    expect(host.send({ type: "wakeup", timer: "periodicMedia" })).toEqual([]);
  });
});
