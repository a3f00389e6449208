// Failed collection syncs: silent retries on backoff, and what makes them go early or not at all.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { settings, opened, lastEntry, skips, syncOf } from "../../../test/fakes/scenarios";

describe("5. collection failures and backoff", () => {
  /** Open, then fail every sync; returns the retry delays asked for. */
  function failRepeatedly(times: number, random = () => 0.5): number[] {
    const host = new FakeHost(random);
    host.open({ settings: settings({ syncMedia: false }) });
    const delays: number[] = [];
    for (let i = 0; i < times; i++) {
      const set = only(host.finishCollection("networkError"), "setWakeup");
      delays.push(...set.filter((c) => c.timer === "retry").map((c) => c.delayMs));
      host.tick(host.timers.get("retry")! - host.t);
    }
    return delays;
  }

  it("retries after 30 s, doubling up to 15 min", () => {
    expect(failRepeatedly(8)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it("jitters each delay with the injected random source", () => {
    expect(failRepeatedly(2, () => 0)).toEqual([24_000, 48_000]);
  });

  it("runs the retry when its wakeup fires, and shows when it is due", () => {
    const host = new FakeHost();
    host.open();
    host.t = 5_000;
    host.finishCollection("serverError", { message: "502" });
    expect(host.orchestrator.status().problem).toEqual({
      kind: "serverError",
      message: "502",
      retryAt: 35_000,
    });
    expect(host.orchestrator.status().nextRetryAt).toBe(35_000);
    expect(only(host.tick(30_000), "syncCollection")).toEqual([syncOf("retry")]);
  });

  it("a success resets the backoff and clears the problem", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ syncMedia: false }) });
    host.finishCollection("networkError");
    host.tick(30_000);
    host.finishCollection("networkError");
    host.tick(60_000);
    const commands = host.finishCollection("ok");
    expect(host.orchestrator.status().problem).toBeUndefined();
    expect(only(commands, "setWakeup")).toEqual([]);
    host.send({ type: "syncRequested", trigger: "button" });
    expect(only(host.finishCollection("failed"), "setWakeup")).toEqual([
      { type: "setWakeup", timer: "retry", delayMs: 30_000 },
    ]);
  });

  it("a success cancels a retry that is armed", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ syncMedia: false }) });
    host.finishCollection("networkError");
    host.send({ type: "syncRequested", trigger: "button" });
    expect(only(host.finishCollection("ok"), "cancelWakeup")).toEqual([{ type: "cancelWakeup", timer: "retry" }]);
    expect(host.orchestrator.status().nextRetryAt).toBeUndefined();
  });

  it("the network coming back retries at once and resets the backoff", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ syncMedia: false }) });
    host.finishCollection("networkError");
    host.tick(30_000);
    host.finishCollection("networkError"); // next would be 60 s
    host.send({ type: "networkChanged", online: false }); // the host reports only changes
    expect(actions(host.send({ type: "networkChanged", online: true }))).toEqual([
      { type: "cancelWakeup", timer: "retry" },
      syncOf("retry", { media: false }),
    ]);
    expect(only(host.finishCollection("networkError"), "setWakeup")).toEqual([
      { type: "setWakeup", timer: "retry", delayMs: 30_000 },
    ]);
  });

  it("skips a retry while offline and runs it when the network returns", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    host.send({ type: "networkChanged", online: false });
    expect(only(host.tick(30_000), "syncCollection")).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "retry", skippedReason: "offline" });
    expect(host.orchestrator.status().online).toBe(false);
    expect(only(host.send({ type: "networkChanged", online: true }), "syncCollection")).toEqual([syncOf("retry")]);
  });

  it("the network coming back with no retry owed does nothing", () => {
    const host = opened();
    expect(host.send({ type: "networkChanged", online: true })).toEqual([]);
  });

  it("waits for the user to be idle before a retry", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    host.send({ type: "activityChanged", place: "review", quiet: false });
    expect(only(host.tick(30_000), "syncCollection")).toEqual([]);
    expect(skips(host)).toEqual([]); // postponed, not skipped
    expect(host.send({ type: "activityChanged", place: "review", quiet: false })).toEqual([]);
    expect(only(host.send({ type: "activityChanged", place: "deckBrowser", quiet: true }), "syncCollection")).toEqual([
      syncOf("retry"),
    ]);
    // Only once.
    host.finishCollection("ok");
    host.finishMedia("ok");
    host.send({ type: "activityChanged", place: "review", quiet: false });
    expect(only(host.send({ type: "activityChanged", place: "deckBrowser", quiet: true }), "syncCollection")).toEqual(
      [],
    );
  });

  it("retries a button failure only while auto sync is on", () => {
    const on = opened();
    on.send({ type: "syncRequested", trigger: "button" });
    expect(only(on.finishCollection("networkError"), "setWakeup")).toHaveLength(1);

    const off = opened({ autoSync: false });
    off.send({ type: "syncRequested", trigger: "button" });
    expect(only(off.finishCollection("networkError"), "setWakeup")).toEqual([]);
    expect(off.orchestrator.status().problem).toEqual({ kind: "networkError" });
  });

  it("neither retries nor complains when a sync was aborted", () => {
    const host = new FakeHost();
    host.open();
    expect(only(host.finishCollection("aborted"), "setWakeup")).toEqual([]);
    expect(host.orchestrator.status().problem).toBeUndefined();
  });

  it("queues a retry that fires mid-sync, and drops it if that sync fails anew", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ periodicMediaMinutes: 0.5 }) }); // media wakes with the retry
    host.finishCollection("networkError");
    host.t = 29_000;
    host.send({ type: "syncRequested", trigger: "button" });
    host.tick(1_000);
    expect(host.orchestrator.status().pending).toEqual(["retry", "periodic"]);
    const commands = host.finishCollection("networkError");
    // The new failure's backoff supersedes the queued retry; the queued media still runs.
    expect(actions(commands)).toEqual([
      { type: "setWakeup", timer: "retry", delayMs: 60_000 },
      { type: "syncMedia", trigger: "periodic" },
    ]);
  });

  it("drops a queued retry when the sync it waited for succeeds", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ syncMedia: false }) });
    host.finishCollection("networkError");
    host.send({ type: "syncRequested", trigger: "button" }); // runs at once
    host.tick(30_000); // the retry wakes mid-sync
    expect(host.orchestrator.status().pending).toEqual(["retry"]);
    expect(actions(host.finishCollection("ok"))).toEqual([]);
    expect(host.orchestrator.status().pending).toEqual([]);
  });
});
