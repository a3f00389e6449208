import { describe, expect, it, vi } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { finishClose, onProfileClosing, onSkipCloseWait, skipMediaWaitIfAsked } from "./close";
import { dropQueued } from "./queue";
import { DEFAULT_SETTINGS } from "./defaults";

// what a module asks the queue for is recorded, not run
vi.mock("./queue", async (importOriginal) => ({
  ...(await importOriginal<typeof import("./queue")>()),
  requestCollection: vi.fn(),
}));

describe("close", () => {
  it("asks for the close sync, cancels every timer and drops queued media", () => {
    const c = testCore();
    c.s.owed.at = { periodicMedia: 1, retry: 2 };
    c.s.owed.media = "periodic";
    c.s.owed.retry = true;
    onProfileClosing(c);
    expect(c.s.phase).toBe("closing");
    expect(c.requested).toEqual(["close"]);
    expect(c.s.closeReason).toBe("synced");
    expect(c.s.owed).toMatchObject({ at: {}, retry: false, media: undefined });
    expect(c.s.history.map((e) => [e.kind, e.skippedReason])).toEqual([["media", "closing"]]);
  });

  it("with auto sync off, records why there is no close sync and closes with that reason", () => {
    const c = testCore({ settings: { ...DEFAULT_SETTINGS, autoSync: false } });
    onProfileClosing(c);
    expect(c.requested).toEqual([]);
    expect(c.s.closeReason).toBe("off");
    finishClose(c);
    expect(c.commands().filter((x) => x.type !== "saveState")).toEqual([{ type: "continueClose", reason: "off" }]);
  });

  it("a profile that is not open closes at once; a second closing waits for the first answer", () => {
    const c = testCore({ phase: "notOpen" });
    onProfileClosing(c);
    expect(c.commands()).toEqual([{ type: "continueClose", reason: "notOpen" }]);
    const twice = testCore({ phase: "closing" });
    onProfileClosing(twice);
    expect(twice.commands()).toEqual([]);
  });

  it("Skip aborts media once and closes unless a close sync is queued", () => {
    const c = testCore({ phase: "closing" });
    onSkipCloseWait(c);
    expect(c.advanced).toBe(1);
    const media = () => ({ kind: "media" as const, trigger: "close" as const, startedAt: 0 });
    const running = media();
    skipMediaWaitIfAsked(c, running);
    skipMediaWaitIfAsked(c, running); // the abort is asked for once
    const closed = testCore({ phase: "closed", skipMediaWait: true });
    skipMediaWaitIfAsked(closed, media());
    expect(closed.commands()).toEqual([]);
    expect(c.commands()).toEqual([{ type: "abortMedia" }, { type: "continueClose", reason: "mediaWaitSkipped" }]);
    const queued = testCore({ phase: "closing", skipMediaWait: true });
    queued.s.owed.collection = "close";
    skipMediaWaitIfAsked(queued, media());
    expect(queued.commands()).toEqual([{ type: "abortMedia" }]);
  });

  it("Skip outside a close does nothing", () => {
    const c = testCore();
    onSkipCloseWait(c);
    expect(c.s.skipMediaWait).toBe(false);
  });

  it("a dropped queued sync is recorded as skipped", () => {
    const c = testCore();
    c.s.owed.collection = "button";
    dropQueued(c, "collection", "fullSyncRequired");
    dropQueued(c, "media", "closing");
    expect(c.s.history.map((e) => [e.trigger, e.skippedReason])).toEqual([["button", "fullSyncRequired"]]);
  });
});
