// Anki and Flipnem in step while Anki is open, end to end through the orchestrator on the fake host.
import { describe, expect, it } from "vitest";
import { actions, DEFAULT_TEST_SETTINGS, FakeHost, only } from "../../../test/fakes/fakeHost";
import { syncOf } from "../../../test/fakes/scenarios";
import { BACKGROUND_DELAY_MS } from "./background";
import { SETTINGS_VERSION } from "./defaults";
import { HIDE_FAILURES_MS } from "./policy";

const MIN = 60_000;

function opened(): FakeHost {
  const host = new FakeHost(() => 0.5, { inStep: true });
  host.open();
  host.finishCollection("ok");
  host.finishMedia("ok");
  return host;
}
const syncs = (host: FakeHost) => only(host.log, "syncCollection");
const away = { type: "activityChanged", place: "deckBrowser", quiet: true } as const;
const back = { type: "activityChanged", place: "deckBrowser", quiet: false } as const;

describe("in step while Anki is open", () => {
  it("on open: the input watch with the idle time, and the first status check an interval later", () => {
    const host = new FakeHost(() => 0.5, { inStep: true });
    const out = host.open();
    expect(out).toContainEqual({ type: "watchInput", quietMs: 60_000 });
    expect(out).toContainEqual({ type: "setWakeup", timer: "statusCheck", delayMs: 5 * MIN });
  });

  it("a review goes at the next safe point: not while reviewing or typing, then without a click", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "review", quiet: false });
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(host.orchestrator.status().waitingReason).toBe("reviewing");
    host.send(back);
    expect(host.orchestrator.status().waitingReason).toBe("typing");
    expect(syncs(host)).toHaveLength(1);
    host.send(away);
    expect(syncs(host).at(-1)).toEqual(syncOf("background"));
    // no skip recorded for waiting on the user
    expect(host.orchestrator.history().filter((h) => h.outcome === "skipped")).toEqual([]);
  });

  it("stopped by the user's return, the changes stay owed and go at the next safe point", () => {
    const host = opened();
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(syncs(host)).toHaveLength(2);
    host.finishCollection("aborted"); // even before the host says the user is back
    expect(syncs(host)).toHaveLength(2);
    host.send(back);
    expect(host.orchestrator.status().localChanges).toBe(true);
    host.send(away);
    expect(syncs(host).at(-1)?.trigger).toBe("background");
  });

  it("a status check that finds Flipnem's changes pulls them at the next safe point, and then all is in step", () => {
    const host = opened();
    host.statusReply = { outcome: "ok", required: "normal", localChanges: false };
    host.send({ type: "activityChanged", place: "review", quiet: false });
    host.tick(5 * MIN);
    expect(host.orchestrator.status()).toMatchObject({ remoteChanges: true, waitingReason: "reviewing" });
    expect(syncs(host)).toHaveLength(1);
    host.statusReply = { outcome: "ok", required: "none", localChanges: false };
    host.send(away);
    expect(syncs(host).at(-1)?.trigger).toBe("pull");
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(host.orchestrator.status()).toMatchObject({ remoteChanges: false, localChanges: false });
  });

  it("nothing changed anywhere: over an hour, status checks only, and no collection sync", () => {
    const host = opened();
    for (let i = 0; i < 12; i++) {
      host.tick(5 * MIN);
      if (host.running?.kind === "media") host.finishMedia("ok");
    }
    expect(syncs(host)).toHaveLength(1);
    expect(only(host.log, "checkStatus").length).toBe(12);
  });

  it("a wake checks at once; failures in the next minute are retried and shown nowhere", () => {
    const host = opened();
    host.send({ type: "localChange", kinds: ["card"] });
    host.send({ type: "activityChanged", place: "review", quiet: false });
    host.tick(BACKGROUND_DELAY_MS);
    host.statusReply = null;
    host.send({ type: "clockJumped", gapMs: 3_600_000 });
    expect(host.checking).toBe(true);
    host.answerStatus({ outcome: "networkError", localChanges: false });
    host.send(away);
    host.finishCollection("networkError");
    const st = host.orchestrator.status();
    expect(st.problem).toBeUndefined();
    expect(host.orchestrator.history().filter((h) => h.outcome === "networkError")).toEqual([]);
    expect(st.nextRetryAt).toBeDefined();
    const before = syncs(host).length;
    host.statusReply = { outcome: "ok", required: "normal", localChanges: true };
    host.tick(HIDE_FAILURES_MS);
    expect(syncs(host).length).toBe(before + 1);
    host.finishCollection("networkError");
    expect(host.orchestrator.status().problem?.kind).toBe("networkError");
  });

  it("a periodic media failure just after a wake is shown nowhere; the next interval tries again", () => {
    const host = opened();
    host.send({ type: "clockJumped", gapMs: 3_600_000 });
    host.tick(15 * MIN - 1);
    host.send({ type: "clockJumped", gapMs: 3_600_000 });
    host.tick(1);
    expect(host.running?.kind).toBe("media");
    host.finishMedia("networkError", "down");
    expect(host.orchestrator.status().problem).toBeUndefined();
    expect(host.orchestrator.history().filter((h) => h.kind === "media" && h.outcome === "networkError")).toEqual([]);
    host.tick(15 * MIN);
    host.finishMedia("networkError", "down");
    expect(host.orchestrator.status().problem?.kind).toBe("mediaFailed");
  });

  it("a pause covers the close: no sync, and the change goes at the next open", () => {
    const host = opened();
    host.send({ type: "pauseChanged", paused: true, until: host.t + 60 * MIN });
    host.send({ type: "localChange", kinds: ["card"] });
    host.send({ type: "profileClosing" });
    expect(only(host.log, "continueClose")).toEqual([{ type: "continueClose", reason: "paused" }]);
  });

  it("a timed pause ends by itself and what waited goes", () => {
    const host = opened();
    host.send({ type: "pauseChanged", paused: true, until: host.t + 60 * MIN });
    expect(host.saved?.pausedUntil).toBe(host.t + 60 * MIN);
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(syncs(host)).toHaveLength(1);
    const out = host.tick(60 * MIN);
    expect(only(out, "saveState").at(-1)?.state.pausedUntil).toBeUndefined();
    expect(host.saved?.pausedUntil).toBeUndefined();
    expect(syncs(host).at(-1)?.trigger).toBe("background");
  });

  it("metered: background and periodic media wait, named; Sync now still syncs", () => {
    const host = opened();
    host.send({ type: "networkChanged", online: true, metered: true });
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(15 * MIN);
    const skips = host.orchestrator.history().filter((h) => h.skippedReason === "metered");
    expect(skips.map((h) => [h.kind, h.trigger])).toEqual([
      ["collection", "background"],
      ["media", "periodic"],
    ]);
    host.send({ type: "syncRequested", trigger: "sidebar" });
    expect(syncs(host).at(-1)?.trigger).toBe("sidebar");
  });

  it("changes kept from Flipnem past the limit by failing syncs: one notice, not repeated", () => {
    const host = opened();
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    host.finishCollection("networkError");
    host.tick(4 * 60 * MIN);
    const told = only(host.log, "notify");
    expect(told).toHaveLength(1);
    expect(only(host.log, "revealSidebar")).toHaveLength(1);
  });

  it("turning the switch off drops a retry of a background sync; a retry of the open sync stays", () => {
    const host = opened();
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    host.finishCollection("networkError");
    expect(host.timers.has("retry")).toBe(true);
    host.send({ type: "settingsChanged", settings: { ...DEFAULT_TEST_SETTINGS, backgroundSync: false } });
    expect(host.timers.has("retry")).toBe(false);
    const open = new FakeHost(() => 0.5, { inStep: true });
    open.open();
    open.finishCollection("networkError");
    open.send({ type: "settingsChanged", settings: { ...DEFAULT_TEST_SETTINGS, backgroundSync: false } });
    expect(open.timers.has("retry")).toBe(true);
  });

  it("a profile signed in again while no page was up has no rejected key left to tell of", () => {
    const host = new FakeHost(() => 0.5, { inStep: true });
    host.open({ state: { history: [], noticed: ["authFailed"] } });
    host.finishCollection("authFailed");
    expect(only(host.log, "notify")).toHaveLength(1);
  });

  it("settings version 1: the switch is turned on once, saved, and said once in the sidebar", () => {
    const host = new FakeHost(() => 0.5, { inStep: true });
    const out = host.open({ settings: { ...DEFAULT_TEST_SETTINGS, backgroundSync: false }, settingsVersion: 1 });
    expect(actions(out)).toContainEqual({
      type: "saveSettings",
      settings: { ...DEFAULT_TEST_SETTINGS, backgroundSync: true },
    });
    expect(host.orchestrator.status().notice).toBe("backgroundOn");
    host.send({ type: "dismissNotice" });
    expect(host.orchestrator.status().notice).toBeUndefined();
    const current = new FakeHost(() => 0.5, { inStep: true });
    current.open({ settings: { ...DEFAULT_TEST_SETTINGS, backgroundSync: false }, settingsVersion: SETTINGS_VERSION });
    expect(only(current.log, "saveSettings")).toEqual([]);
  });
});
