import { describe, expect, it, vi } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { expirePause } from "./orchestrator";
import { onPauseChanged } from "./pause";

// what a module asks the queue for is recorded, not run
vi.mock("./queue", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./queue")>()),
  requestCollection: vi.fn(),
}));

describe("timed pause", () => {
  it("a timed pause arms its end; until a restart arms nothing", () => {
    const c = testCore();
    onPauseChanged(c, true, 3_600_000);
    expect(c.s.owed.at.pauseEnds).toBe(3_600_000);
    onPauseChanged(c, true);
    expect(c.s.owed.at.pauseEnds).toBeUndefined();
    expect(c.env).toMatchObject({ paused: true, pausedUntil: undefined });
  });

  it("ends by its timer, or by the wall clock after a sleep, saving that it ended and running what waited", () => {
    const c = testCore();
    onPauseChanged(c, true, 1000);
    c.s.owed.retry = true;
    expirePause(c);
    expect(c.env.paused).toBe(true);
    c.t = 1000;
    expirePause(c);
    expect(c.env.paused).toBe(false);
    expect(c.out.historyChanged).toBe(true);
    expect(c.env.pausedUntil).toBeUndefined();
    expect(c.requested).toEqual(["retry"]);
    const timer = testCore();
    onPauseChanged(timer, true, 5000);
    expirePause(timer, true);
    expect(timer.env.paused).toBe(false);
  });

  it("a pause until Anki restarts never ends by itself", () => {
    const c = testCore();
    onPauseChanged(c, true);
    c.t = 1e12;
    expirePause(c, true);
    expect(c.env.paused).toBe(true);
  });
});
