import { describe, expect, it } from "vitest";
import { addHistory, entry, lastSync, persisted, problem, repeatsLastSkip, restoreState, skipEntry } from "./persisted";
import { HISTORY_LIMIT, type HistoryEntry } from "./types";

const run = { kind: "collection" as const, trigger: "open" as const, startedAt: 1000 };

describe("history", () => {
  it("keeps the newest entries up to the limit", () => {
    const history: HistoryEntry[] = [];
    for (let i = 0; i < HISTORY_LIMIT + 5; i++) addHistory(history, skipEntry("media", "periodic", "paused", i));
    expect(history).toHaveLength(HISTORY_LIMIT);
    expect(history[0]!.startedAt).toBe(5);
  });

  it("a timer skipping again for the same reason is not a new story; the user's triggers always are", () => {
    const history = [skipEntry("media", "periodic", "paused", 1)];
    expect(repeatsLastSkip(history, "media", "periodic", "paused")).toBe(true);
    expect(repeatsLastSkip(history, "media", "periodic", "offline")).toBe(false);
    const pressed = [skipEntry("collection", "button", "signedOut", 1)];
    expect(repeatsLastSkip(pressed, "collection", "button", "signedOut")).toBe(false);
  });

  it("an entry carries duration, outcome and what the server said, cut to the limits", () => {
    const e = entry("collection", run, 1500, "serverError", { message: "x".repeat(900), serverMessage: "hi" });
    expect(e).toMatchObject({ trigger: "open", startedAt: 1000, durationMs: 500, outcome: "serverError" });
    expect(e.message!.length).toBeLessThanOrEqual(500);
    expect(e.serverMessage).toBe("hi");
    expect(entry("media", run, 500, "ok", {}).durationMs).toBe(0);
  });

  it("last syncs and problems carry a message only when there is one", () => {
    expect(lastSync(1, "ok")).toEqual({ at: 1, outcome: "ok" });
    expect(problem("failed", "boom")).toEqual({ kind: "failed", message: "boom" });
    expect(problem("authFailed")).toEqual({ kind: "authFailed" });
  });
});

describe("saved state", () => {
  it("saves copies, and restores what it saved", () => {
    const s = {
      history: [skipEntry("media", "periodic", "paused", 1)],
      lastCollectionSync: lastSync(5, "ok"),
      lastMediaSync: lastSync(6, "failed", "down"),
    };
    const saved = persisted(s);
    saved.history[0]!.startedAt = 99;
    expect(s.history[0]!.startedAt).toBe(1);
    expect(restoreState(JSON.parse(JSON.stringify(persisted(s))))).toEqual(s);
  });

  it("saves a timed pause's end, and restores only a time", () => {
    expect(persisted({ history: [] }, 5_000).pausedUntil).toBe(5_000);
    expect(persisted({ history: [] }).pausedUntil).toBeUndefined();
    expect(restoreState({ history: [], pausedUntil: 5_000 }).pausedUntil).toBe(5_000);
    for (const junk of ["tomorrow", NaN, null, {}, true]) {
      expect(restoreState({ history: [], pausedUntil: junk }).pausedUntil).toBeUndefined();
    }
  });

  it("drops damaged entries and keeps the rest", () => {
    const restored = restoreState({
      history: [{ kind: "collection", trigger: "open", startedAt: 1, durationMs: 2, outcome: "ok" }, { kind: "x" }, 3],
      lastCollectionSync: { at: "yesterday", outcome: "ok" },
    });
    expect(restored.history).toHaveLength(1);
    expect(restored.lastCollectionSync).toBeUndefined();
    expect(restoreState(null)).toEqual({ history: [] });
  });
});
