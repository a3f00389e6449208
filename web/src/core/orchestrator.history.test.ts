// History and the saved state.
import { describe, expect, it } from "vitest";
import { FakeHost, only } from "../../../test/fakes/fakeHost";
import { MIN, opened } from "../../../test/fakes/scenarios";

describe("12. history and saved state", () => {
  it("saves state after every history change, and only then", () => {
    const host = new FakeHost();
    expect(only(host.open(), "saveState")).toEqual([]);
    const saved = only(host.finishCollection("ok"), "saveState");
    expect(saved).toHaveLength(1);
    expect(saved[0]?.state.history).toEqual(host.orchestrator.history());
    expect(saved[0]?.state.lastCollectionSync).toEqual({ at: 0, outcome: "ok" });
    expect(only(host.send({ type: "mediaSyncProgress", text: "1" }), "saveState")).toEqual([]);
    expect(only(host.finishMedia("ok"), "saveState")).toHaveLength(1);
    expect(host.saved?.lastMediaSync).toEqual({ at: 0, outcome: "ok" });
  });

  it("does not save for a skip it has already recorded", () => {
    const host = opened();
    host.send({ type: "pauseChanged", paused: true });
    expect(only(host.tick(15 * MIN), "saveState")).toHaveLength(1);
    expect(only(host.tick(15 * MIN), "saveState")).toEqual([]);
  });

  it("keeps the newest 200 entries", () => {
    const host = new FakeHost();
    host.open({ signedIn: false });
    for (let i = 0; i < 250; i++) {
      host.t = i;
      host.send({ type: "syncRequested", trigger: "button" });
    }
    const history = host.orchestrator.history();
    expect(history).toHaveLength(200);
    expect(history[0]?.startedAt).toBe(50);
    expect(host.saved?.history).toHaveLength(200);
  });

  it("hands out copies the caller cannot corrupt", () => {
    const host = opened();
    host.orchestrator.history().pop();
    host.orchestrator.history()[0]!.outcome = "tampered";
    expect(host.orchestrator.history().map((e) => e.outcome)).toEqual(["ok", "ok"]);
  });
});
