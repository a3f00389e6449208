// A full sync Flipnem requires: asked of the user only when they are there.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, settings, opened, lastEntry, syncOf } from "../../../test/fakes/scenarios";
import { BACKGROUND_DELAY_MS } from "./orchestrator";

describe("7. full sync required", () => {
  it("on an automatic sync: shown as a problem, not retried, no dialog", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ backgroundSync: true }) });
    const commands = host.finishCollection("fullSyncRequired");
    expect(only(commands, "chooseFullSync", "setWakeup")).toEqual([]);
    expect(host.orchestrator.status().problem).toEqual({ kind: "fullSyncRequired" });

    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(lastEntry(host)).toMatchObject({ trigger: "background", skippedReason: "fullSyncRequired" });
  });

  it("on the button: the user chooses", () => {
    const host = opened();
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" }); // queued: dropped, the user is choosing
    expect(actions(host.finishCollection("fullSyncRequired"))).toEqual([
      { type: "chooseFullSync" },
      { type: "revealSidebar" },
    ]);
    // the choice holds the queue: nothing starts beside Anki's upload or download
    expect(host.running).toEqual({ kind: "full" });
    expect(only(host.send({ type: "syncRequested", trigger: "button" }), "syncCollection")).toEqual([]);
    host.tick(60 * MIN);
    expect(host.running).toEqual({ kind: "full" });
    expect(lastEntry(host)).toMatchObject({ trigger: "button", skippedReason: "fullSyncRequired" });
  });

  it("the user's upload or download clears it; Cancel leaves it, and the queued press then runs", () => {
    const done = opened();
    done.send({ type: "syncRequested", trigger: "button" });
    done.finishCollection("fullSyncRequired");
    done.finishFullSync("ok");
    expect(done.orchestrator.status().problem).toBeUndefined();
    expect(done.orchestrator.status().lastCollectionSync).toMatchObject({ outcome: "ok" });

    const cancelled = opened();
    cancelled.send({ type: "syncRequested", trigger: "button" });
    cancelled.finishCollection("fullSyncRequired");
    cancelled.send({ type: "syncRequested", trigger: "sidebar" });
    expect(only(cancelled.finishFullSync("cancelled"), "syncCollection")).toEqual([syncOf("sidebar")]);
    expect(lastEntry(cancelled)).toMatchObject({ trigger: "button", outcome: "cancelled" });
  });

  it("a later success clears it", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("fullSyncRequired");
    host.send({ type: "syncRequested", trigger: "button" });
    host.finishCollection("ok");
    expect(host.orchestrator.status().problem).toBeUndefined();
  });
});
