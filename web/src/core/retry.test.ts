import { describe, expect, it, vi } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { RETRY_FIRST_MS } from "./backoff";
import { retryAfterFailure, stopRetrying } from "./queue";
import { onNetworkBack, runOwedRetry } from "./retry";

// what a module asks the queue for is recorded, not run
vi.mock("./queue", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./queue")>()),
  requestCollection: vi.fn(),
}));

describe("retry", () => {
  it("arms a backoff wakeup after a failed automatic sync, counting attempts", () => {
    const c = testCore();
    retryAfterFailure(c, "open");
    retryAfterFailure(c, "retry");
    expect(c.s.retryAttempt).toBe(2);
    expect(c.commands()).toEqual([
      { type: "setWakeup", timer: "retry", delayMs: RETRY_FIRST_MS },
      { type: "setWakeup", timer: "retry", delayMs: 2 * RETRY_FIRST_MS },
    ]);
    expect(c.s.owed.at.retry).toBe(2 * RETRY_FIRST_MS);
  });

  it("never retries a close, or with auto sync off", () => {
    const c = testCore();
    retryAfterFailure(c, "close");
    const off = testCore({ settings: { ...c.s.settings, autoSync: false } });
    retryAfterFailure(off, "open");
    expect([...c.commands(), ...off.commands()]).toEqual([]);
  });

  it("the backoff supersedes a retry already queued", () => {
    const c = testCore();
    c.s.owed.collection = "retry";
    retryAfterFailure(c, "retry");
    expect(c.s.owed.collection).toBeUndefined();
  });

  it("stopping forgets the wakeup, the queued and owed retry, and the attempts", () => {
    const c = testCore();
    retryAfterFailure(c, "open");
    c.s.owed.collection = "retry";
    c.s.owed.retry = true;
    stopRetrying(c);
    expect(c.s).toMatchObject({ retryAttempt: 0, owed: { retry: false, collection: undefined, at: {} } });
    expect(c.commands().at(-1)).toEqual({ type: "cancelWakeup", timer: "retry" });
  });

  it("an owed retry runs once", () => {
    const c = testCore();
    c.s.owed.retry = true;
    runOwedRetry(c);
    runOwedRetry(c);
    expect(c.requested).toEqual(["retry"]);
  });

  it("the network coming back turns an armed retry into one now, from the first attempt", () => {
    const c = testCore();
    retryAfterFailure(c, "open");
    onNetworkBack(c);
    expect(c.requested).toEqual(["retry"]);
    expect(c.s.retryAttempt).toBe(0);
    expect(c.s.owed.at.retry).toBeUndefined();
    const idle = testCore();
    onNetworkBack(idle);
    expect(idle.requested).toEqual([]);
  });
});
