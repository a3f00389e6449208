// Settings and pause, taking effect at once.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, settings, opened, openedInStep, lastEntry, syncOf, syncs } from "../../../test/fakes/scenarios";
import type { Options } from "../protocol/generated";
import { DEFAULT_TUNING } from "./defaults";
import { BACKGROUND_DELAY_MS } from "./orchestrator";
import { RETURN_AWAY_MS } from "./policy";

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

describe("options from the panel's More take effect at once", () => {
  const options = (over: Partial<Options> = {}): Options => ({
    ...DEFAULT_TUNING,
    closeBoundSeconds: 20,
    closeTotalSeconds: 120,
    sidebarShortcut: "Ctrl+Shift+Y",
    ...over,
  });

  it("metered syncing allowed: the background sync that waited for it goes, without a restart", () => {
    const host = opened();
    host.send({ type: "networkChanged", online: true, metered: true });
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(host.orchestrator.history().at(-1)?.skippedReason).toBe("metered");
    const before = syncs(host).length;
    host.send({ type: "optionsChanged", options: options({ allowMetered: true }) });
    host.tick(BACKGROUND_DELAY_MS);
    expect(
      syncs(host)
        .slice(before)
        .map((c) => c.type === "syncCollection" && c.trigger),
    ).toEqual(["background"]);
  });

  it("a new quiet time goes to the input watch; an unchanged one sends nothing", () => {
    const host = openedInStep();
    expect(only(host.send({ type: "optionsChanged", options: options({ idleSeconds: 45 }) }), "watchInput")).toEqual([
      { type: "watchInput", quietMs: 45_000, returnMs: RETURN_AWAY_MS },
    ]);
    expect(only(host.send({ type: "optionsChanged", options: options({ idleSeconds: 45 }) }), "watchInput")).toEqual(
      [],
    );
  });

  it("a shorter check interval holds from now on", () => {
    const host = openedInStep();
    // checks 5, 10 and 20 minutes apart; then every statusCheckMinutes
    for (const minutes of [5, 10, 20]) {
      host.tick(minutes * MIN);
      if (host.running?.kind === "media") host.finishMedia("ok");
      host.finishCollection("ok", { exchanged: false });
    }
    expect(host.timers.get("statusCheck")).toBe(host.t + 30 * MIN);
    host.send({ type: "optionsChanged", options: options({ statusCheckMinutes: 15 }) });
    expect(host.timers.get("statusCheck")).toBe(host.t + 15 * MIN);
  });

  it("a shorter lasting limit tells the user when the changes have waited that long", () => {
    const host = opened();
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    host.finishCollection("networkError");
    host.send({ type: "optionsChanged", options: options({ lastingFailureMinutes: 5 }) });
    expect(only(host.log, "notify")).toHaveLength(0);
    host.tick(5 * MIN);
    expect(only(host.log, "notify")).toHaveLength(1);
  });
});
