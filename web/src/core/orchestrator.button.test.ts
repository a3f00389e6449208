// The Sync button and Sync now: the user's own syncs.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { opened, lastEntry, syncOf } from "../../../test/fakes/scenarios";

describe("8. button and sidebar", () => {
  it("syncs with media as set, even with auto sync off and while paused", () => {
    const host = opened({ autoSync: false, syncMedia: false });
    host.send({ type: "pauseChanged", paused: true });
    expect(actions(host.send({ type: "syncRequested", trigger: "sidebar" }))).toEqual([
      syncOf("sidebar", { media: false }),
    ]);
  });

  it("does not wait for idle", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "review", quiet: false });
    expect(only(host.send({ type: "syncRequested", trigger: "button" }), "syncCollection")).toHaveLength(1);
  });

  it("is refused when signed out", () => {
    const host = new FakeHost();
    host.open({ signedIn: false });
    expect(actions(host.send({ type: "syncRequested", trigger: "button" }))).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "button", skippedReason: "signedOut" });
  });

  it("is ignored before any profile is open", () => {
    const host = new FakeHost();
    expect(actions(host.send({ type: "syncRequested", trigger: "button" }))).toEqual([]);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("notOpen");
  });

  it("records the outcome with duration and server message", () => {
    const host = opened({ syncMedia: false });
    host.t = 100_000;
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "collectionSyncStarted", trigger: "button" });
    host.send({ type: "collectionSyncProgress", stage: "uploading" });
    expect(host.orchestrator.status().running).toEqual({
      kind: "collection",
      trigger: "button",
      startedAt: 100_000,
      stage: "uploading",
    });
    host.t = 103_500;
    const counts = "Added/modified: 2↑ 0↓ · Removed: 0↑ 0↓";
    host.finishCollection("ok", { serverMessage: "Maintenance at 2am", counts, mediaStarted: true });
    expect(lastEntry(host)).toEqual({
      kind: "collection",
      trigger: "button",
      startedAt: 100_000,
      durationMs: 3_500,
      outcome: "ok",
      serverMessage: "Maintenance at 2am",
      counts,
    });
    expect(host.orchestrator.status().lastCollectionSync).toEqual({ at: 103_500, outcome: "ok" });
    host.t = 104_000;
    host.finishMedia("ok", undefined, "Checked: 3 · Added: 1↑ 0↓ · Removed: 0↑ 0↓");
    expect(lastEntry(host)).toMatchObject({ kind: "media", counts: "Checked: 3 · Added: 1↑ 0↓ · Removed: 0↑ 0↓" });
    // counts survive a restart of the page with the rest of the history
    const again = new FakeHost();
    again.open({ state: host.saved });
    expect(again.orchestrator.history().at(-1)).toMatchObject({ counts: "Checked: 3 · Added: 1↑ 0↓ · Removed: 0↑ 0↓" });
  });
});
