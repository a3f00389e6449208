import { describe, expect, it } from "vitest";
import { newEnvironment, newSession } from "./state";
import { status } from "./status";

describe("status", () => {
  it("shows what runs, what is queued, when the next syncs are due, and the problem that matters most", () => {
    const s = { ...newSession(), phase: "open" as const, signedIn: true, profile: "User 1", user: "ana" };
    s.owed = {
      collection: "button",
      media: "periodic",
      retry: false,
      background: false,
      pull: false,
      at: { periodicMedia: 900, retry: 30 },
    };
    s.problem = { kind: "networkError" };
    s.mediaProblem = { kind: "mediaFailed" };
    const env = {
      ...newEnvironment(),
      running: { kind: "collection" as const, trigger: "open" as const, startedAt: 1, abortSent: true },
    };
    const st = status(s, env);
    expect(st).toMatchObject({
      profile: "User 1",
      user: "ana",
      pending: ["button", "periodic"],
      nextPeriodicMediaAt: 900,
      nextRetryAt: 30,
      problem: { kind: "networkError", retryAt: 30 },
      closing: false,
    });
    expect(st.running).toEqual({ kind: "collection", trigger: "open", startedAt: 1 });
  });

  it("says why no periodic media sync comes, and shows the media problem when it is the only one", () => {
    const s = {
      ...newSession(),
      phase: "open" as const,
      signedIn: false,
      mediaProblem: { kind: "mediaFailed" as const },
    };
    const st = status(s, newEnvironment());
    expect(st.nextPeriodicMediaReason).toBe("signedOut");
    expect(st.nextPeriodicMediaAt).toBeUndefined();
    expect(st.problem).toEqual({ kind: "mediaFailed" });
  });

  it("hands out copies", () => {
    const s = { ...newSession(), lastCollectionSync: { at: 1, outcome: "ok" } };
    status(s, newEnvironment()).lastCollectionSync!.at = 2;
    expect(s.lastCollectionSync.at).toBe(1);
  });
});
