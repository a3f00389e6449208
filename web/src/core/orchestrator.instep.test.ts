// Anki and Flipnem in step while Anki is open, end to end through the orchestrator on the fake host.
import { describe, expect, it } from "vitest";
import { actions, DEFAULT_TEST_SETTINGS, FakeHost, only } from "../../../test/fakes/fakeHost";
import { openedInStep, syncOf } from "../../../test/fakes/scenarios";
import { BACKGROUND_DELAY_MS } from "./background";
import { SETTINGS_VERSION } from "./defaults";
import { HIDE_FAILURES_MS } from "./policy";

const MIN = 60_000;

const opened = openedInStep;
const syncs = (host: FakeHost) => only(host.log, "syncCollection");
const away = { type: "activityChanged", place: "deckBrowser", quiet: true } as const;
const back = { type: "activityChanged", place: "deckBrowser", quiet: false } as const;

describe("in step while Anki is open", () => {
  it("on open: the input watch with the idle time and the return's, and the first idle check 5 minutes later", () => {
    const host = new FakeHost(() => 0.5, { inStep: true });
    const out = host.open();
    expect(out).toContainEqual({ type: "watchInput", quietMs: 10_000, returnMs: 120_000 });
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

  it("a check or a background sync running at the close gives way to it: the close sync runs next, nothing waits", () => {
    for (const trigger of ["pull", "background"] as const) {
      const host = opened();
      if (trigger === "pull") host.tick(5 * MIN);
      else {
        host.send({ type: "localChange", kinds: ["card"] });
        host.tick(BACKGROUND_DELAY_MS);
      }
      expect(host.running).toMatchObject({ kind: "collection", trigger });
      const closing = host.send({ type: "profileClosing" });
      expect(only(closing, "abortCollection")).toEqual([{ type: "abortCollection" }]);
      expect(host.running).toMatchObject({ abortRequested: true });
      expect(only(host.finishCollection("aborted"), "syncCollection")).toEqual([syncOf("close")]);
      host.finishCollection("ok");
      expect(only(host.finishMedia("ok"), "continueClose")).toEqual([{ type: "continueClose", reason: "synced" }]);
    }
    // the open sync (as the user's own) is never stopped by a close: the close sync waits for it
    const opening = new FakeHost(() => 0.5, { inStep: true });
    opening.open();
    expect(only(opening.send({ type: "profileClosing" }), "abortCollection")).toEqual([]);
  });

  it("an idle check waits for a safe point, asks Flipnem with a probe, and what it brings is one history entry", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "review", quiet: false });
    host.tick(5 * MIN);
    expect(host.orchestrator.status()).toMatchObject({ waitingReason: "reviewing" });
    expect(syncs(host)).toHaveLength(1);
    host.send(away);
    expect(syncs(host).at(-1)).toEqual(syncOf("pull"));
    expect(syncs(host).at(-1)?.probe).toBe(true);
    host.finishCollection("ok", { exchanged: true });
    host.finishMedia("ok");
    expect(
      host.orchestrator
        .history()
        .filter((h) => h.trigger === "pull")
        .map((h) => h.kind),
    ).toEqual(["collection", "media"]);
    expect(host.orchestrator.status()).toMatchObject({ localChanges: false });
  });

  it("nobody there for hours: checks thin out (5, 10, 20, then every 30 minutes); nothing found is no history", () => {
    const host = opened();
    const checksAt: number[] = [];
    const start = host.t;
    for (let m = 0; m < 180; m++) {
      host.tick(MIN);
      if (host.running?.kind === "media") host.finishMedia("ok");
      if (host.running?.kind === "collection") {
        checksAt.push(Math.round((host.t - start) / MIN));
        host.finishCollection("ok", { exchanged: false });
      }
    }
    expect(checksAt).toEqual([5, 15, 35, 65, 95, 125, 155]);
    expect(checksAt.filter((m) => m <= 60)).toHaveLength(3);
    expect(host.orchestrator.history().filter((h) => h.kind === "collection")).toHaveLength(1); // the open sync
    expect(host.orchestrator.status().lastCheckAt).toBe(start + 155 * MIN);
  });

  it("a check due while this device's changes or a retry are on their way sends no request of its own", () => {
    const host = opened();
    host.tick(5 * MIN - 1000);
    host.send({ type: "localChange", kinds: ["card"] }); // its countdown runs past the check
    host.tick(1000);
    expect(syncs(host)).toHaveLength(1);
    host.tick(BACKGROUND_DELAY_MS);
    expect(
      syncs(host)
        .slice(1)
        .map((c) => c.trigger),
    ).toEqual(["background"]);
    host.finishCollection("networkError"); // retried on backoff
    for (let i = 0; i < 6; i++) {
      host.tick(host.timers.get("retry")! - host.t);
      if (host.running?.kind === "media") host.finishMedia("ok");
      host.finishCollection("networkError");
    }
    expect(
      syncs(host)
        .slice(1)
        .every((c) => c.trigger !== "pull"),
    ).toBe(true);
    expect(host.timers.get("retry")! - host.t).toBeGreaterThan(5 * MIN); // checks came due meanwhile
  });

  it("the user there again: the checks start over from 5 minutes", () => {
    const host = opened();
    host.tick(5 * MIN);
    host.finishCollection("ok", { exchanged: false });
    host.tick(10 * MIN);
    host.finishMedia("ok"); // the periodic media sync came at the same minute
    host.finishCollection("ok", { exchanged: false });
    expect(host.timers.get("statusCheck")).toBe(host.t + 20 * MIN);
    host.send(back);
    expect(host.timers.get("statusCheck")).toBe(host.t + 5 * MIN);
  });

  it("back after two minutes away: Flipnem's changes come in at once, by a probe the first second of input does not stop", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: true, active: false });
    host.tick(3 * MIN);
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: true, active: true, awayMs: 3 * MIN });
    const pull = syncs(host).at(-1);
    expect(pull).toEqual(syncOf("return"));
    expect(pull).toMatchObject({ probe: true, abortOnInput: true, inputGraceMs: 1000 });
    // the first key after coming back is the same return: no second pull
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: false, active: true });
    host.finishCollection("ok", { exchanged: true });
    host.finishMedia("ok");
    expect(syncs(host).filter((c) => c.trigger === "return")).toHaveLength(1);
    expect(host.orchestrator.history().at(-2)).toMatchObject({ kind: "collection", trigger: "return", outcome: "ok" });
  });

  it("away less than two minutes is no return; the input that ends a long quiet is one", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: true, active: true, awayMs: 119_000 });
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: false, active: true, awayMs: 90_000 });
    expect(syncs(host)).toHaveLength(1);
    host.send({ type: "activityChanged", place: "overview", quiet: false, active: true, awayMs: 20 * MIN });
    expect(syncs(host).at(-1)?.trigger).toBe("return");
  });

  it("back into the reviewer: nothing runs there; the pull is owed until the user leaves it", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "review", quiet: true, active: false });
    host.send({ type: "activityChanged", place: "review", quiet: true, active: true, awayMs: 5 * MIN });
    expect(syncs(host)).toHaveLength(1);
    expect(host.orchestrator.status().waitingReason).toBe("reviewing");
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: true, active: true });
    expect(syncs(host).at(-1)?.trigger).toBe("pull");
    expect(host.orchestrator.history().filter((h) => h.outcome === "skipped")).toEqual([]);
  });

  it("a return stopped by the user's input is owed and finishes at the next safe point", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: false, active: true, awayMs: 5 * MIN });
    host.finishCollection("aborted");
    host.send({ type: "activityChanged", place: "overview", quiet: false, active: true });
    expect(syncs(host)).toHaveLength(2);
    host.send({ type: "activityChanged", place: "overview", quiet: true, active: true });
    expect(syncs(host).at(-1)?.trigger).toBe("pull");
  });

  it("the input that stops a background sync is also a return: its pull gives way as well, and goes at the next safe point", () => {
    const host = opened();
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(syncs(host).at(-1)?.trigger).toBe("background");
    // Python stops the sync at the input and says first that the user is back, after a while away
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: false, active: true, awayMs: 5 * MIN });
    host.finishCollection("aborted");
    expect(syncs(host)).toHaveLength(2);
    host.send({ type: "activityChanged", place: "overview", quiet: true, active: true });
    expect(syncs(host).at(-1)?.trigger).toBe("background"); // carries Flipnem's changes too
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(host.orchestrator.status()).toMatchObject({ localChanges: false, pending: [] });
    expect(host.orchestrator.snapshot().session).toMatchObject({ owed: { pull: false, background: false } });
  });

  it("every rule holds for a return: paused, metered, the switch off and signed out pull nothing, and say nothing", () => {
    const returned = {
      type: "activityChanged",
      place: "deckBrowser",
      quiet: false,
      active: true,
      awayMs: 5 * MIN,
    } as const;
    const paused = opened();
    paused.send({ type: "pauseChanged", paused: true });
    paused.send(returned);
    const metered = opened();
    metered.send({ type: "networkChanged", online: true, metered: true });
    metered.send(returned);
    const off = opened();
    off.send({ type: "settingsChanged", settings: { ...DEFAULT_TEST_SETTINGS, backgroundSync: false } });
    off.send(returned);
    const out = opened();
    out.send({ type: "accountChanged", signedIn: false });
    out.send(returned);
    for (const host of [paused, metered, off, out]) expect(syncs(host)).toHaveLength(1);
    expect(off.orchestrator.history().filter((h) => h.outcome === "skipped")).toEqual([]);
    expect(out.orchestrator.history().filter((h) => h.outcome === "skipped")).toEqual([]);
  });

  it("leaving Anki sends changes still in their countdown at once; in a dialog they wait", () => {
    const host = opened();
    host.send({ type: "localChange", kinds: ["card"] });
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: false, active: true });
    host.tick(1000);
    host.send({ type: "activityChanged", place: "deckBrowser", quiet: false, active: false });
    expect(syncs(host).at(-1)).toEqual(syncOf("background"));
    host.finishCollection("ok");
    host.finishMedia("ok");
    const dialog = opened();
    dialog.send({ type: "localChange", kinds: ["card"] });
    dialog.send({ type: "activityChanged", place: "dialog", quiet: false, active: false });
    expect(syncs(dialog)).toHaveLength(1);
    dialog.send({ type: "activityChanged", place: "deckBrowser", quiet: false, active: false });
    expect(syncs(dialog).at(-1)?.trigger).toBe("background");
  });

  it("every rule holds for leaving Anki: paused, metered, the switch off and signed out send nothing", () => {
    const left = { type: "activityChanged", place: "deckBrowser", quiet: false, active: false } as const;
    const hosts = [opened(), opened(), opened(), opened()] as const;
    hosts[0].send({ type: "pauseChanged", paused: true });
    hosts[1].send({ type: "networkChanged", online: true, metered: true });
    hosts[2].send({ type: "settingsChanged", settings: { ...DEFAULT_TEST_SETTINGS, backgroundSync: false } });
    hosts[3].send({ type: "accountChanged", signedIn: false });
    for (const host of hosts) {
      host.send({ type: "localChange", kinds: ["card"] });
      host.send(left);
      expect(syncs(host)).toHaveLength(1);
    }
  });

  it("a wake checks at once; failures in the next minute are retried and shown nowhere", () => {
    const host = opened();
    host.send({ type: "localChange", kinds: ["card"] });
    host.send({ type: "activityChanged", place: "review", quiet: false });
    host.tick(BACKGROUND_DELAY_MS);
    host.send({ type: "clockJumped", gapMs: 3_600_000 });
    host.send(away);
    expect(syncs(host).at(-1)?.trigger).toBe("background");
    host.finishCollection("networkError");
    const st = host.orchestrator.status();
    expect(st.problem).toBeUndefined();
    expect(host.orchestrator.history().filter((h) => h.outcome === "networkError")).toEqual([]);
    expect(st.nextRetryAt).toBeDefined();
    const before = syncs(host).length;
    host.tick(HIDE_FAILURES_MS);
    expect(syncs(host).length).toBe(before + 1);
    host.finishCollection("networkError");
    expect(host.orchestrator.status().problem?.kind).toBe("networkError");
  });

  it("a periodic media failure just after a wake is shown nowhere; the next interval tries again", () => {
    const host = opened();
    host.answersChecks = true; // the wake's checks find nothing
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
