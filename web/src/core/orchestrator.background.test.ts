// Keeping in step while Anki is open: this device's changes go a while after the last one.
import { describe, expect, it } from "vitest";
import { actions, only } from "../../../test/fakes/fakeHost";
import { settings, opened, syncs, syncOf } from "../../../test/fakes/scenarios";
import { BACKGROUND_DELAY_MS } from "./orchestrator";

describe("11. background", () => {
  it("syncs a while after the last local change, when idle, signed in and switched on", () => {
    const host = opened({ backgroundSync: true });
    expect(only(host.send({ type: "localChange", kinds: ["card"] }), "syncCollection")).toEqual([]);
    expect(only(host.log, "setWakeup").at(-1)).toEqual({
      type: "setWakeup",
      timer: "background",
      delayMs: BACKGROUND_DELAY_MS,
    });
    host.tick(BACKGROUND_DELAY_MS / 2);
    host.send({ type: "localChange", kinds: ["card"] }); // a new change starts the wait again
    expect(only(host.tick(BACKGROUND_DELAY_MS / 2), "syncCollection")).toEqual([]);
    expect(only(host.tick(BACKGROUND_DELAY_MS / 2), "syncCollection")).toEqual([syncOf("background")]);
  });

  it("never under the user's hands: it waits until they are idle", () => {
    const host = opened({ backgroundSync: true });
    host.send({ type: "activityChanged", place: "review", quiet: false });
    host.send({ type: "localChange", kinds: ["card"] });
    expect(only(host.tick(BACKGROUND_DELAY_MS), "syncCollection")).toEqual([]);
    expect(only(host.send({ type: "activityChanged", place: "deckBrowser", quiet: true }), "syncCollection")).toEqual([
      syncOf("background"),
    ]);
  });

  it("not when switched off, or auto sync is off", () => {
    for (const over of [{ backgroundSync: false }, { backgroundSync: true, autoSync: false }]) {
      const host = opened(over);
      host.send({ type: "localChange", kinds: ["card"] });
      host.tick(BACKGROUND_DELAY_MS * 2);
      expect(only(host.log, "setWakeup").filter((c) => c.timer === "background")).toEqual([]);
      expect(syncs(host).filter((c) => c.trigger === "background")).toEqual([]);
    }
  });

  it("switching it off drops a waiting background sync", () => {
    const host = opened({ backgroundSync: true });
    host.send({ type: "localChange", kinds: ["card"] });
    host.send({ type: "settingsChanged", settings: settings({ backgroundSync: false }) });
    host.tick(BACKGROUND_DELAY_MS * 2);
    expect(syncs(host).filter((c) => c.trigger === "background")).toEqual([]);
  });

  it("a sync that succeeds first takes the changes along", () => {
    const host = opened({ backgroundSync: true });
    host.send({ type: "localChange", kinds: ["card"] });
    host.send({ type: "syncRequested", trigger: "button" });
    host.finishCollection("ok");
    host.finishMedia("ok");
    host.tick(BACKGROUND_DELAY_MS * 2);
    expect(syncs(host).filter((c) => c.trigger === "background")).toEqual([]);
  });

  it("a wakeup it did not arm does nothing", () => {
    const host = opened({ backgroundSync: true });
    expect(actions(host.send({ type: "wakeup", timer: "background" }))).toEqual([]);
  });

  it("only changes to notes, cards, decks, note types or tags start the background countdown", () => {
    const host = opened({ backgroundSync: true });
    host.send({ type: "localChange", kinds: ["config", "study_queues"] });
    expect(host.timers.has("background")).toBe(false);
    host.send({ type: "localChange", kinds: ["study_queues", "card"] });
    expect(host.timers.has("background")).toBe(true);
  });
});
