// Opening a profile: the open sync, the timers it arms, and the state it takes up.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, settings, lastEntry, syncOf } from "../../../test/fakes/scenarios";
import type { HistoryEntry } from "./types";

describe("2. open", () => {
  it("syncs the collection with media and arms the periodic media timer", () => {
    const host = new FakeHost();
    host.t = 1_000;
    expect(host.open()).toEqual([{ type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN }, syncOf("open")]);
    const st = host.orchestrator.status();
    expect(st.nextPeriodicMediaAt).toBe(1_000 + 15 * MIN);
    expect(st.running).toEqual({ kind: "collection", trigger: "open", startedAt: 1_000 });
    expect(st.profile).toBe("User 1");
  });

  it("uses the interval from settings", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ periodicMediaMinutes: 5 }) });
    expect(only(host.log, "setWakeup")).toEqual([{ type: "setWakeup", timer: "periodicMedia", delayMs: 5 * MIN }]);
  });

  it("leaves media out when media sync is off, and arms no media timer", () => {
    const host = new FakeHost();
    expect(host.open({ settings: settings({ syncMedia: false }) })).toEqual([syncOf("open", { media: false })]);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("mediaOff");
  });

  it("does not sync with auto sync off, and says why", () => {
    const host = new FakeHost();
    const commands = host.open({ settings: settings({ autoSync: false }) });
    expect(only(commands, "syncCollection")).toEqual([]);
    expect(only(commands, "setWakeup")).toHaveLength(1); // periodic media is its own switch
    expect(lastEntry(host)).toMatchObject({ trigger: "open", outcome: "skipped", skippedReason: "off" });
  });

  it("does nothing automatic when signed out", () => {
    const host = new FakeHost();
    expect(actions(host.open({ signedIn: false }))).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "open", skippedReason: "signedOut" });
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("signedOut");
  });

  it("restores history and last syncs, dropping damaged entries and keeping the newest 200", () => {
    const good = (i: number): HistoryEntry => ({
      kind: "collection",
      trigger: "button",
      startedAt: i,
      durationMs: 5,
      outcome: "ok",
    });
    const history = [
      ...Array.from({ length: 250 }, (_, i) => good(i)),
      { kind: "bogus" },
      null,
      { ...good(999), startedAt: "yesterday" },
    ] as unknown as HistoryEntry[];
    const host = new FakeHost();
    host.open({
      state: {
        history,
        lastCollectionSync: { at: 249, outcome: "ok" },
        lastMediaSync: { at: "x" } as unknown as { at: number; outcome: string },
      },
    });
    const restored = host.orchestrator.history();
    expect(restored).toHaveLength(200);
    expect(restored[0]?.startedAt).toBe(50);
    expect(restored.at(-1)?.startedAt).toBe(249);
    expect(host.orchestrator.status().lastCollectionSync).toEqual({ at: 249, outcome: "ok" });
    expect(host.orchestrator.status().lastMediaSync).toBeUndefined();
  });

  it("survives a missing or malformed state", () => {
    const host = new FakeHost();
    host.open({ state: "garbage" as never });
    expect(host.orchestrator.history()).toEqual([]);
  });
});
