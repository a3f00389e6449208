// One sync at a time: what runs next, coalescing, and the decisions not to sync.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, opened, syncs, skips, syncOf } from "../../../test/fakes/scenarios";
import { BACKGROUND_DELAY_MS } from "./orchestrator";

describe("1. single flight", () => {
  it("runs a button press that arrives mid-sync after the sync and its media", () => {
    const host = new FakeHost();
    host.open();
    expect(actions(host.send({ type: "syncRequested", trigger: "button" }))).toEqual([]);
    expect(host.orchestrator.status().pending).toEqual(["button"]);

    expect(only(host.finishCollection("ok"), "syncCollection")).toEqual([]); // media runs on
    expect(host.running?.kind).toBe("media");
    expect(only(host.finishMedia("ok"), "syncCollection")).toEqual([syncOf("button")]);
    expect(host.orchestrator.status().pending).toEqual([]);
  });

  it("a press saved by an older version is dropped by a new session, whose open sync carries everything", () => {
    const host = new FakeHost();
    host.open({ state: { history: [], pressed: "button" } as never });
    expect(host.running).toMatchObject({ kind: "collection", trigger: "open" });
    expect(host.orchestrator.status().pending).toEqual([]);
    expect(host.saved && "pressed" in host.saved).toBeFalsy();
  });

  it("coalesces triggers into one follow-up, keeping the most important", () => {
    const host = opened({ backgroundSync: true });
    host.tick(15 * MIN); // periodic media starts
    expect(host.running?.kind).toBe("media");

    // a real background wakeup (armed by a local change), so it does queue
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(host.orchestrator.status().pending).toEqual(["background"]);
    host.send({ type: "syncRequested", trigger: "sidebar" });
    expect(host.orchestrator.status().pending).toEqual(["sidebar"]);
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(host.orchestrator.status().pending).toEqual(["sidebar"]);

    const before = syncs(host).length;
    host.finishMedia("ok");
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host).slice(before)).toEqual([syncOf("sidebar")]);
  });

  it("a queued press gives way to the close, so the close sync is never lost; a retry gives way to the press", () => {
    const host = opened();
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" }); // queued behind the first
    expect(host.orchestrator.status().pending).toEqual(["button"]);
    // a retry firing now ranks below the press and does not replace it
    host.finishCollection("networkError");
    host.send({ type: "syncRequested", trigger: "button" });
    expect(host.orchestrator.status().nextRetryAt).toBeDefined();
    host.tick(MIN); // the retry fires while the press's sync runs
    expect(host.orchestrator.status().nextRetryAt).toBeUndefined();
    expect(host.orchestrator.status().pending).toEqual(["button"]);
    host.send({ type: "profileClosing" });
    expect(host.orchestrator.status().pending).toEqual(["close"]);
    const before = syncs(host).length;
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host).slice(before)).toEqual([syncOf("close")]);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(only(host.log, "continueClose")).toEqual([{ type: "continueClose", reason: "synced" }]);
  });

  it("gives two quick presses two syncs, one after the other, and three presses no more", () => {
    const host = opened();
    const before = syncs(host).length;
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" });
    expect(syncs(host)).toHaveLength(before + 1);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host)).toHaveLength(before + 2);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host)).toHaveLength(before + 2);
  });

  it("runs a periodic media sync that arrived mid-sync once the queue is free", () => {
    const host = new FakeHost();
    host.open();
    host.tick(15 * MIN);
    expect(host.orchestrator.status().pending).toEqual(["periodic"]);
    const commands = host.finishCollection("networkError"); // no media alongside
    expect(only(commands, "syncMedia")).toEqual([{ type: "syncMedia", trigger: "periodic" }]);
  });

  it("a press during a periodic media sync that fails still runs, and its own failure is retried", () => {
    const host = opened({ periodicMediaMinutes: 1 });
    host.tick(MIN);
    expect(host.running).toMatchObject({ kind: "media", trigger: "periodic" });
    expect(actions(host.send({ type: "syncRequested", trigger: "sidebar" }))).toEqual([]);
    expect(only(host.finishMedia("networkError"), "syncCollection")).toMatchObject([{ trigger: "sidebar" }]);
    expect(only(host.finishCollection("networkError"), "setWakeup")).toMatchObject([{ timer: "retry" }]);
    expect(host.orchestrator.history().slice(-2)).toMatchObject([
      { kind: "media", trigger: "periodic", outcome: "networkError" },
      { kind: "collection", trigger: "sidebar", outcome: "networkError" },
    ]);
  });

  it("drops a queued media sync when media ran alongside the collection sync", () => {
    const host = new FakeHost();
    host.open();
    host.tick(15 * MIN);
    host.finishCollection("ok"); // media starts with it
    expect(host.orchestrator.status().pending).toEqual([]);
    expect(only(host.finishMedia("ok"), "syncMedia")).toEqual([]);
  });

  it("ignores a report for a sync it did not start", () => {
    const host = opened();
    const before = host.orchestrator.history().length;
    expect(host.orchestrator.handle({ type: "collectionSyncFinished", outcome: "ok", mediaStarted: true })).toEqual([]);
    expect(host.orchestrator.history()).toHaveLength(before);
    // …and a media report while the collection runs does not free the queue.
    host.send({ type: "syncRequested", trigger: "button" });
    host.orchestrator.handle({ type: "mediaSyncFinished", outcome: "ok" });
    expect(actions(host.send({ type: "syncRequested", trigger: "sidebar" }))).toEqual([]);
    expect(host.orchestrator.status().running?.kind).toBe("collection");
  });

  it("records each decision not to sync, once per story for timers", () => {
    const host = opened();
    host.send({ type: "pauseChanged", paused: true });
    host.tick(45 * MIN); // three periodic ticks
    expect(skips(host)).toEqual([
      {
        kind: "media",
        trigger: "periodic",
        startedAt: 15 * MIN,
        durationMs: 0,
        outcome: "skipped",
        skippedReason: "paused",
      },
    ]);
    host.send({ type: "accountChanged", signedIn: false });
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" });
    expect(skips(host).map((e) => [e.trigger, e.skippedReason])).toEqual([
      ["periodic", "paused"],
      ["button", "signedOut"],
      ["button", "signedOut"],
    ]);
  });
});
