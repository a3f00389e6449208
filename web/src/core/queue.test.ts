import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS } from "./defaults";
import { testCore } from "../../../test/fakes/core";
import { settle } from "./orchestrator";
import { advance, coalesce, RANK, requestCollection, requestMedia, takeNext } from "./queue";
import type { Trigger } from "./types";

describe("ranking", () => {
  it("close outranks the user's syncs, which outrank open, retry, background and periodic", () => {
    const order: Trigger[] = ["close", "button", "open", "retry", "background", "periodic"];
    for (let i = 1; i < order.length; i++) expect(RANK[order[i - 1]!]).toBeGreaterThan(RANK[order[i]!]);
    expect(RANK.sidebar).toBe(RANK.button);
    expect(RANK.signIn).toBe(RANK.button);
  });

  it("a queued trigger is replaced only by a higher one", () => {
    expect(coalesce(undefined, "periodic")).toBe("periodic");
    expect(coalesce("background", "button")).toBe("button");
    expect(coalesce("button", "close")).toBe("close");
    expect(coalesce("close", "button")).toBe("close");
    expect(coalesce("button", "sidebar")).toBe("button");
  });

  it("runs the collection first, then media, taking each off the queue", () => {
    const owed = {
      collection: "button" as Trigger,
      media: "periodic" as Trigger,
      retry: false,
      background: false,
      pull: false,
      status: false,
      at: {},
    };
    expect(takeNext(owed)).toEqual({ kind: "collection", trigger: "button" });
    expect(takeNext(owed)).toEqual({ kind: "media", trigger: "periodic" });
    expect(takeNext(owed)).toBeUndefined();
  });
});

describe("single flight", () => {
  it("starts a sync when the queue is free, and queues behind a running one", () => {
    const c = testCore();
    requestCollection(c, "button");
    expect(c.commands()).toEqual([
      {
        type: "syncCollection",
        trigger: "button",
        media: true,
        showProgress: true,
        showServerMessage: true,
        abortOnInput: false,
        probe: false,
      },
    ]);
    requestCollection(c, "retry");
    requestMedia(c, "periodic");
    expect(c.s.owed).toMatchObject({ collection: "retry", media: "periodic" });
    expect(c.commands()).toHaveLength(1);
  });

  it("a refused retry waits for idle without a record, and is recorded when paused", () => {
    const c = testCore({}, { place: "review", quiet: false });
    requestCollection(c, "retry");
    expect(c.s.owed.retry).toBe(true);
    expect(c.s.history).toEqual([]);
    const p = testCore({}, { paused: true });
    requestCollection(p, "retry");
    expect(p.s.owed.retry).toBe(true);
    expect(p.s.history.map((e) => e.skippedReason)).toEqual(["paused"]);
  });

  it("after a sync: runs what was queued, skipping what is now refused", () => {
    const c = testCore({ settings: { ...DEFAULT_SETTINGS, backgroundSync: false } });
    c.s.owed.collection = "background"; // switched off since it was queued
    c.s.owed.media = "periodic";
    advance(c);
    expect(c.s.history.map((e) => [e.trigger, e.skippedReason])).toEqual([["background", "off"]]);
    expect(c.commands()).toContainEqual({ type: "syncMedia", trigger: "periodic" });
  });

  it("lets a closing profile close once nothing runs or waits", () => {
    const c = testCore({ phase: "closing", closeReason: "synced" });
    // the settle step after the event: the queue advances, and the close is its to finish
    c.out.queueFreed = true;
    settle(c);
    expect(c.commands()).toEqual([{ type: "continueClose", reason: "synced" }]);
    expect(c.s.phase).toBe("closed");
  });
});
