import { describe, expect, it } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { applyCollectionOutcome, onCollectionFinished, onFullSyncFinished, onMediaFinished } from "./results";

const running = (kind: "collection" | "media", trigger: "open" | "button" = "open") => ({
  kind,
  trigger,
  startedAt: 0,
});

describe("sync results", () => {
  it("a success records history and the last sync, clears the problem and stops retrying", () => {
    const c = testCore({ problem: { kind: "networkError" }, retryAttempt: 3 }, { running: running("collection") });
    c.t = 200;
    onCollectionFinished(c, { outcome: "ok", mediaStarted: true, counts: "2↑" });
    expect(c.env.running).toMatchObject({ kind: "media", trigger: "open", startedAt: 200 });
    expect(c.s).toMatchObject({ problem: undefined, retryAttempt: 0, lastCollectionSync: { at: 200, outcome: "ok" } });
    expect(c.s.history).toMatchObject([{ kind: "collection", outcome: "ok", durationMs: 200, counts: "2↑" }]);
    expect(c.advanced).toBe(1);
  });

  it("ignores a report for a sync it did not start", () => {
    const c = testCore();
    onCollectionFinished(c, { outcome: "ok", mediaStarted: false });
    onMediaFinished(c, { outcome: "ok" });
    onFullSyncFinished(c, { outcome: "ok" });
    expect(c.s.history).toEqual([]);
    expect(c.advanced).toBe(0);
  });

  it("a failure shows a problem and retries on backoff; an abort does neither", () => {
    const c = testCore();
    applyCollectionOutcome(c, "open", "networkError", "down");
    expect(c.s.problem).toEqual({ kind: "networkError", message: "down" });
    expect(c.s.owed.at.retry).toBeDefined();
    const a = testCore();
    applyCollectionOutcome(a, "open", "aborted");
    expect(a.s.problem).toBeUndefined();
    expect(a.commands()).toEqual([]);
  });

  it("a full sync asks the user on their own sync, and is a problem on an automatic one", () => {
    const c = testCore({}, { running: running("collection", "button") });
    applyCollectionOutcome(c, "button", "fullSyncRequired");
    expect(c.commands()).toEqual([{ type: "chooseFullSync" }]);
    expect(c.env.running?.waitingForChoice).toBe(true);
    const auto = testCore();
    applyCollectionOutcome(auto, "open", "fullSyncRequired");
    expect(auto.s.problem).toEqual({ kind: "fullSyncRequired" });
    expect(auto.commands()).toEqual([]);
  });

  it("a rejected key signs out and stops retries and the media timer", () => {
    const c = testCore();
    c.s.owed.at = { periodicMedia: 1, retry: 2 };
    applyCollectionOutcome(c, "open", "authFailed");
    expect(c.s).toMatchObject({ signedIn: false, authFailed: true, problem: { kind: "authFailed" } });
    expect(c.s.owed.at).toEqual({});
  });

  it("media: a failure is a media problem with no backoff; a skip is not a last sync", () => {
    const c = testCore({}, { running: running("media") });
    onMediaFinished(c, { outcome: "failed", message: "disk" });
    expect(c.s.mediaProblem).toEqual({ kind: "mediaFailed", message: "disk" });
    expect(c.s.owed.at.retry).toBeUndefined();
    const skipped = testCore({}, { running: running("media") });
    onMediaFinished(skipped, { outcome: "skipped" });
    expect(skipped.s.lastMediaSync).toBeUndefined();
    expect(skipped.s.history).toHaveLength(1);
  });

  it("the user's upload or download clears the problem; a cancel keeps it", () => {
    const c = testCore({ problem: { kind: "fullSyncRequired" } }, { running: running("collection", "button") });
    onFullSyncFinished(c, { outcome: "ok" });
    expect(c.s.problem).toBeUndefined();
    const cancelled = testCore({}, { running: running("collection", "button") });
    onFullSyncFinished(cancelled, { outcome: "cancelled" });
    expect(cancelled.s.problem).toEqual({ kind: "fullSyncRequired" });
  });
});
