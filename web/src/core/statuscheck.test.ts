import { describe, expect, it, vi } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { DEFAULT_SETTINGS, DEFAULT_TUNING } from "./defaults";
import { HIDE_FAILURES_MS } from "./policy";
import { onStatusChecked } from "./orchestrator";
import { catchUp, requestStatusCheck, runOwedStatusCheck, STATUS_RETRY_MS } from "./statuscheck";

// what a module asks the queue for is recorded, not run
vi.mock("./queue", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./queue")>()),
  requestCollection: vi.fn(),
}));

const on = { settings: { ...DEFAULT_SETTINGS, autoSync: true, backgroundSync: true } };
const MIN = 60_000;

describe("status checks: Flipnem's changes come in", () => {
  it("asks when the queue is free, waits behind a sync, and answers arm the next interval (never below 5 min)", () => {
    const c = testCore({ ...on, tuning: { ...DEFAULT_TUNING, statusCheckMinutes: 1 } });
    requestStatusCheck(c);
    expect(c.env.checking).toBe(true);
    expect(c.commands()).toContainEqual({ type: "checkStatus", timeoutSecs: 10 });
    const busy = testCore(on, { running: { kind: "collection", trigger: "open", startedAt: 0 } });
    requestStatusCheck(busy);
    expect([busy.env.checking, busy.s.owed.status]).toEqual([false, true]);
    busy.env.running = null;
    runOwedStatusCheck(busy);
    expect(busy.env.checking).toBe(true);
    onStatusChecked(c, { outcome: "ok", required: "none", localChanges: false });
    expect(c.env.checking).toBe(false);
    expect(c.s.owed.at.statusCheck).toBe(5 * MIN);
    expect(c.advanced).toBe(1);
  });

  it("Flipnem's changes are announced and owed; this device's are said as waiting, not as Flipnem's", () => {
    const c = testCore({ ...on, checkOut: true }, { checking: true });
    onStatusChecked(c, { outcome: "ok", required: "normal", localChanges: false });
    expect(c.s).toMatchObject({ remoteChanges: true, localChanges: false });
    expect(c.requested).toEqual(["pull"]);
    const mine = testCore({ ...on, checkOut: true }, { checking: true });
    onStatusChecked(mine, { outcome: "ok", required: "normal", localChanges: true });
    expect(mine.s).toMatchObject({ remoteChanges: false, localChanges: true });
    expect(mine.requested).toEqual(["background"]);
    expect(mine.s.changesWaitingSince).toBe(0);
  });

  it("with the switch off, it still announces, and owes nothing", () => {
    const c = testCore(
      { settings: { ...DEFAULT_SETTINGS, backgroundSync: false }, checkOut: true },
      { checking: true },
    );
    onStatusChecked(c, { outcome: "ok", required: "normal", localChanges: false });
    expect(c.s.remoteChanges).toBe(true);
    expect(c.requested).toEqual([]);
  });

  it("nothing changed either way: no sync", () => {
    const c = testCore({ ...on, checkOut: true }, { checking: true });
    c.s.remoteChanges = true;
    onStatusChecked(c, { outcome: "ok", required: "none", localChanges: false });
    expect(c.s.remoteChanges).toBe(false);
    expect(c.requested).toEqual([]);
  });

  it("a full sync needed is a problem, told once", () => {
    const c = testCore({ ...on, checkOut: true }, { checking: true });
    onStatusChecked(c, { outcome: "ok", required: "full", localChanges: true });
    expect(c.s.problem?.kind).toBe("fullSyncRequired");
    expect(c.commands().filter((x) => x.type === "notify")).toHaveLength(1);
  });

  it("a failed check is silent; just after a wake it asks again soon", () => {
    const c = testCore({ ...on, checkOut: true }, { checking: true });
    onStatusChecked(c, { outcome: "networkError", localChanges: false });
    expect(c.s.problem).toBeUndefined();
    expect(c.s.history).toEqual([]);
    expect(c.s.owed.at.statusCheck).toBe(5 * MIN);
    const woke = testCore(on);
    catchUp(woke);
    expect(woke.env.hideFailuresUntil).toBe(HIDE_FAILURES_MS);
    expect(woke.env.checking).toBe(true);
    onStatusChecked(woke, { outcome: "networkError", localChanges: false });
    expect(woke.s.owed.at.statusCheck).toBe(STATUS_RETRY_MS);
  });

  it("a rejected key during a check takes the one rejected-key path", () => {
    const c = testCore({ ...on, checkOut: true }, { checking: true });
    onStatusChecked(c, { outcome: "authFailed", localChanges: false });
    expect(c.s).toMatchObject({ signedIn: false, authFailed: true });
    expect(c.commands().map((x) => x.type)).toContain("forgetKey");
  });

  it("an answer about a profile that has since closed frees the queue and says nothing", () => {
    const c = testCore(on, { checking: true });
    onStatusChecked(c, { outcome: "authFailed", localChanges: false });
    expect(c.env.checking).toBe(false);
    expect(c.s).toMatchObject({ signedIn: true, remoteChanges: false });
    expect(c.advanced).toBe(1);
  });

  it("a stray answer is ignored; paused or offline, it asks again an interval later", () => {
    const c = testCore(on);
    onStatusChecked(c, { outcome: "ok", required: "normal", localChanges: false });
    expect(c.s.remoteChanges).toBe(false);
    const paused = testCore(on, { paused: true });
    requestStatusCheck(paused);
    expect(paused.env.checking).toBe(false);
    expect(paused.s.owed.at.statusCheck).toBe(5 * MIN);
  });
});
