import { describe, expect, it } from "vitest";
import { DEFAULT_TEST_SETTINGS, FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { BACKGROUND_DELAY_MS } from "./orchestrator";
import type { HistoryEntry, Settings } from "./types";

const MIN = 60_000;
const settings = (over: Partial<Settings> = {}): Settings => ({ ...DEFAULT_TEST_SETTINGS, ...over });

/** A host whose profile is open, the open sync (with its media) done. */
function opened(over: Partial<Settings> = {}): FakeHost {
  const host = new FakeHost();
  host.open({ settings: settings(over) });
  if (host.running?.kind === "collection") host.finishCollection("ok");
  if (host.running?.kind === "media") host.finishMedia("ok");
  return host;
}

const syncs = (h: FakeHost) => only(h.log, "syncCollection", "syncMedia");
const lastEntry = (h: FakeHost): HistoryEntry | undefined => h.orchestrator.history().at(-1);
const skips = (h: FakeHost) => h.orchestrator.history().filter((e) => e.outcome === "skipped");

describe("1. single flight", () => {
  it("runs a button press that arrives mid-sync after the sync and its media", () => {
    const host = new FakeHost();
    host.open();
    expect(actions(host.send({ type: "syncRequested", trigger: "button" }))).toEqual([]);
    expect(host.orchestrator.status().pending).toEqual(["button"]);

    expect(only(host.finishCollection("ok"), "syncCollection")).toEqual([]); // media runs on
    expect(host.running?.kind).toBe("media");
    expect(only(host.finishMedia("ok"), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "button",
        media: true,
        showProgress: true,
        showServerMessage: true,
        abortOnInput: false,
      },
    ]);
    expect(host.orchestrator.status().pending).toEqual([]);
  });

  it("a page started again while Python runs the last page's sync shows it, waits for it, and records its end", () => {
    const host = new FakeHost();
    host.open();
    expect(host.running?.kind).toBe("collection");
    host.restartPage();
    // the new page knows from hello what runs, and starts nothing beside it
    expect(host.orchestrator.status().running).toMatchObject({ kind: "collection", trigger: "open" });
    expect(only(host.send({ type: "syncRequested", trigger: "button" }), "syncCollection")).toEqual([]);
    host.finishCollection("ok");
    expect(host.orchestrator.history().map((e) => [e.kind, e.trigger, e.outcome])).toContainEqual([
      "collection",
      "open",
      "ok",
    ]);
    // then the press, as the user asked
    host.finishMedia("ok");
    expect(host.running).toMatchObject({ kind: "collection", trigger: "button" });
  });

  it("a press queued behind a running sync is handed to Python at once, and a page started again after a crash still runs it", () => {
    const host = new FakeHost();
    host.open();
    host.send({ type: "syncRequested", trigger: "sidebar" });
    expect(host.handedQueue()).toBe("sidebar");
    host.restartPage();
    expect(host.orchestrator.status().pending).toEqual(["sidebar"]);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(host.running).toMatchObject({ kind: "collection", trigger: "sidebar" });
    // taken off the queue: no longer handed over, so a second crash does not run it twice
    expect(host.handedQueue()).toBeUndefined();
    host.restartPage();
    expect(host.orchestrator.status().pending).toEqual([]);
  });

  it("a press saved by an older version is dropped by a new session, whose open sync carries everything", () => {
    const host = new FakeHost();
    host.open({ state: { history: [], pressed: "button" } as never });
    expect(host.running).toMatchObject({ kind: "collection", trigger: "open" });
    expect(host.orchestrator.status().pending).toEqual([]);
    expect(host.saved && "pressed" in host.saved).toBeFalsy();
  });

  it("coalesces triggers into one follow-up, keeping the most important", () => {
    const host = opened({ backgroundSync: true });
    host.tick(15 * MIN); // periodic media starts
    expect(host.running?.kind).toBe("media");

    // a real background wakeup (armed by a local change), so it does queue
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(host.orchestrator.status().pending).toEqual(["background"]);
    host.send({ type: "syncRequested", trigger: "sidebar" });
    expect(host.orchestrator.status().pending).toEqual(["sidebar"]);
    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(host.orchestrator.status().pending).toEqual(["sidebar"]);

    const before = syncs(host).length;
    host.finishMedia("ok");
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host).slice(before)).toEqual([
      {
        type: "syncCollection",
        trigger: "sidebar",
        media: true,
        showProgress: true,
        showServerMessage: true,
        abortOnInput: false,
      },
    ]);
  });

  it("a queued press gives way to the close, so the close sync is never lost; a retry gives way to the press", () => {
    const host = opened();
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" }); // queued behind the first
    expect(host.orchestrator.status().pending).toEqual(["button"]);
    // a retry firing now ranks below the press and does not replace it
    host.finishCollection("networkError");
    host.send({ type: "syncRequested", trigger: "button" });
    expect(host.orchestrator.status().nextRetryAt).toBeDefined();
    host.tick(MIN); // the retry fires while the press's sync runs
    expect(host.orchestrator.status().nextRetryAt).toBeUndefined();
    expect(host.orchestrator.status().pending).toEqual(["button"]);
    host.send({ type: "profileClosing" });
    expect(host.orchestrator.status().pending).toEqual(["close"]);
    const before = syncs(host).length;
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host).slice(before)).toEqual([
      {
        type: "syncCollection",
        trigger: "close",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(only(host.log, "continueClose")).toEqual([{ type: "continueClose", reason: "synced" }]);
  });

  it("gives two quick presses two syncs, one after the other, and three presses no more", () => {
    const host = opened();
    const before = syncs(host).length;
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" });
    expect(syncs(host)).toHaveLength(before + 1);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host)).toHaveLength(before + 2);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host)).toHaveLength(before + 2);
  });

  it("runs a periodic media sync that arrived mid-sync once the queue is free", () => {
    const host = new FakeHost();
    host.open();
    host.tick(15 * MIN);
    expect(host.orchestrator.status().pending).toEqual(["periodic"]);
    const commands = host.finishCollection("networkError"); // no media alongside
    expect(only(commands, "syncMedia")).toEqual([{ type: "syncMedia", trigger: "periodic" }]);
  });

  it("a press during a periodic media sync that fails still runs, and its own failure is retried", () => {
    const host = opened({ periodicMediaMinutes: 1 });
    host.tick(MIN);
    expect(host.running).toMatchObject({ kind: "media", trigger: "periodic" });
    expect(actions(host.send({ type: "syncRequested", trigger: "sidebar" }))).toEqual([]);
    expect(only(host.finishMedia("networkError"), "syncCollection")).toMatchObject([{ trigger: "sidebar" }]);
    expect(only(host.finishCollection("networkError"), "setWakeup")).toMatchObject([{ timer: "retry" }]);
    expect(host.orchestrator.history().slice(-2)).toMatchObject([
      { kind: "media", trigger: "periodic", outcome: "networkError" },
      { kind: "collection", trigger: "sidebar", outcome: "networkError" },
    ]);
  });

  it("drops a queued media sync when media ran alongside the collection sync", () => {
    const host = new FakeHost();
    host.open();
    host.tick(15 * MIN);
    host.finishCollection("ok"); // media starts with it
    expect(host.orchestrator.status().pending).toEqual([]);
    expect(only(host.finishMedia("ok"), "syncMedia")).toEqual([]);
  });

  it("ignores a report for a sync it did not start", () => {
    const host = opened();
    const before = host.orchestrator.history().length;
    expect(host.orchestrator.handle({ type: "collectionSyncFinished", outcome: "ok", mediaStarted: true })).toEqual([]);
    expect(host.orchestrator.history()).toHaveLength(before);
    // …and a media report while the collection runs does not free the queue.
    host.send({ type: "syncRequested", trigger: "button" });
    host.orchestrator.handle({ type: "mediaSyncFinished", outcome: "ok" });
    expect(actions(host.send({ type: "syncRequested", trigger: "sidebar" }))).toEqual([]);
    expect(host.orchestrator.status().running?.kind).toBe("collection");
  });

  it("records each decision not to sync, once per story for timers", () => {
    const host = opened();
    host.send({ type: "pauseChanged", paused: true });
    host.tick(45 * MIN); // three periodic ticks
    expect(skips(host)).toEqual([
      {
        kind: "media",
        trigger: "periodic",
        startedAt: 15 * MIN,
        durationMs: 0,
        outcome: "skipped",
        skippedReason: "paused",
      },
    ]);
    host.send({ type: "accountChanged", signedIn: false });
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" });
    expect(skips(host).map((e) => [e.trigger, e.skippedReason])).toEqual([
      ["periodic", "paused"],
      ["button", "signedOut"],
      ["button", "signedOut"],
    ]);
  });
});

describe("2. open", () => {
  it("syncs the collection with media and arms the periodic media timer", () => {
    const host = new FakeHost();
    host.t = 1_000;
    expect(host.open()).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN },
      {
        type: "syncCollection",
        trigger: "open",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    const st = host.orchestrator.status();
    expect(st.nextPeriodicMediaAt).toBe(1_000 + 15 * MIN);
    expect(st.running).toEqual({ kind: "collection", trigger: "open", startedAt: 1_000 });
    expect(st.profile).toBe("User 1");
  });

  it("uses the interval from settings", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ periodicMediaMinutes: 5 }) });
    expect(only(host.log, "setWakeup")).toEqual([{ type: "setWakeup", timer: "periodicMedia", delayMs: 5 * MIN }]);
  });

  it("leaves media out when media sync is off, and arms no media timer", () => {
    const host = new FakeHost();
    expect(host.open({ settings: settings({ syncMedia: false }) })).toEqual([
      {
        type: "syncCollection",
        trigger: "open",
        media: false,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("mediaOff");
  });

  it("does not sync with auto sync off, and says why", () => {
    const host = new FakeHost();
    const commands = host.open({ settings: settings({ autoSync: false }) });
    expect(only(commands, "syncCollection")).toEqual([]);
    expect(only(commands, "setWakeup")).toHaveLength(1); // periodic media is its own switch
    expect(lastEntry(host)).toMatchObject({ trigger: "open", outcome: "skipped", skippedReason: "off" });
  });

  it("does nothing automatic when signed out", () => {
    const host = new FakeHost();
    expect(actions(host.open({ signedIn: false }))).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "open", skippedReason: "signedOut" });
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("signedOut");
  });

  it("a page started again mid-session runs no open sync again, and arms nothing again", () => {
    const host = opened();
    const history = host.orchestrator.history();
    expect(host.restartPage()).toEqual([]);
    expect(host.orchestrator.history()).toEqual(history);
    expect(host.orchestrator.status().nextPeriodicMediaAt).toBe(15 * MIN);
  });

  it("restores history and last syncs, dropping damaged entries and keeping the newest 200", () => {
    const good = (i: number): HistoryEntry => ({
      kind: "collection",
      trigger: "button",
      startedAt: i,
      durationMs: 5,
      outcome: "ok",
    });
    const history = [
      ...Array.from({ length: 250 }, (_, i) => good(i)),
      { kind: "bogus" },
      null,
      { ...good(999), startedAt: "yesterday" },
    ] as unknown as HistoryEntry[];
    const host = new FakeHost();
    host.open({
      state: {
        history,
        lastCollectionSync: { at: 249, outcome: "ok" },
        lastMediaSync: { at: "x" } as unknown as { at: number; outcome: string },
      },
    });
    const restored = host.orchestrator.history();
    expect(restored).toHaveLength(200);
    expect(restored[0]?.startedAt).toBe(50);
    expect(restored.at(-1)?.startedAt).toBe(249);
    expect(host.orchestrator.status().lastCollectionSync).toEqual({ at: 249, outcome: "ok" });
    expect(host.orchestrator.status().lastMediaSync).toBeUndefined();
  });

  it("a page started again after a failed sync shows the problem and retries on backoff", () => {
    const host = new FakeHost();
    host.open();
    const out = host.finishCollection("networkError", { message: "connection refused" });
    expect(out).toContainEqual({ type: "setWakeup", timer: "retry", delayMs: 30_000 });
    const before = syncs(host).length;
    expect(actions(host.restartPage())).toEqual([]);
    expect(host.orchestrator.status().problem).toEqual({
      kind: "networkError",
      message: "connection refused",
      retryAt: 30_000,
    });
    expect(syncs(host).slice(before)).toEqual([]);
    host.tick(30_000);
    expect(syncs(host).slice(before)).toEqual([
      {
        type: "syncCollection",
        trigger: "retry",
        media: true,
        showProgress: false,
        showServerMessage: false,
        abortOnInput: true,
        timeoutSecs: 10,
      },
    ]);
  });

  it("a page started again keeps a waiting full sync as a problem, and after a success retries nothing", () => {
    const waiting = new FakeHost();
    waiting.open();
    waiting.finishCollection("fullSyncRequired");
    waiting.restartPage();
    expect(waiting.orchestrator.status().problem).toEqual({ kind: "fullSyncRequired" });
    const fine = opened();
    const out = fine.restartPage();
    expect(out).toEqual([]);
    expect(fine.orchestrator.status().problem).toBeUndefined();
    expect(fine.orchestrator.status().nextRetryAt).toBeUndefined();
  });

  it("survives a missing or malformed state", () => {
    const host = new FakeHost();
    host.open({ state: "garbage" as never });
    expect(host.orchestrator.history()).toEqual([]);
  });
});

describe("3. close", () => {
  it("syncs, waits for media, then lets Anki close, exactly once", () => {
    const host = opened();
    host.t = 10 * MIN;
    expect(host.send({ type: "profileClosing" })).toEqual([
      { type: "cancelWakeup", timer: "periodicMedia" },
      {
        type: "syncCollection",
        trigger: "close",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    expect(host.orchestrator.status().closing).toBe(true);
    expect(only(host.finishCollection("ok"), "continueClose")).toEqual([]);
    host.send({ type: "mediaSyncProgress", text: "12 added" });
    expect(host.orchestrator.status().running?.progress).toBe("12 added");
    expect(only(host.finishMedia("ok"), "continueClose")).toEqual([{ type: "continueClose", reason: "synced" }]);
    expect(host.continues).toBe(1);
  });

  it("saves history before letting Anki close", () => {
    const host = opened({ syncMedia: false });
    host.send({ type: "profileClosing" });
    const commands = host.finishCollection("ok");
    expect(commands.map((c) => c.type)).toEqual(["saveState", "continueClose"]);
    expect(host.saved?.history.at(-1)).toMatchObject({ trigger: "close", outcome: "ok" });
  });

  it("queues the close sync behind a running sync", () => {
    const host = new FakeHost();
    host.open();
    expect(only(host.send({ type: "profileClosing" }), "syncCollection")).toEqual([]);
    host.finishCollection("ok");
    expect(only(host.finishMedia("ok"), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "close",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(host.continues).toBe(1);
  });

  it("with auto sync off, continues at once when nothing runs", () => {
    const host = opened({ autoSync: false });
    const commands = host.send({ type: "profileClosing" });
    expect(actions(commands)).toEqual([
      { type: "cancelWakeup", timer: "periodicMedia" },
      { type: "continueClose", reason: "off" },
    ]);
    expect(lastEntry(host)).toMatchObject({ trigger: "close", skippedReason: "off" });
  });

  it("with auto sync off, waits for a running media sync", () => {
    const host = opened({ autoSync: false });
    host.tick(15 * MIN);
    expect(only(host.send({ type: "profileClosing" }), "continueClose")).toEqual([]);
    expect(only(host.finishMedia("ok"), "continueClose")).toHaveLength(1);
  });

  it("skipping the wait aborts media and closes", () => {
    const host = opened();
    host.send({ type: "profileClosing" });
    host.finishCollection("ok");
    expect(host.send({ type: "skipCloseWait" })).toEqual([
      { type: "abortMedia" },
      { type: "continueClose", reason: "mediaWaitSkipped" },
    ]);
    expect(host.finishMedia("aborted")).toEqual([]);
    expect(host.continues).toBe(1);
  });

  it("skipping during the close sync means no wait for the media after it", () => {
    const host = opened();
    host.send({ type: "profileClosing" });
    expect(host.send({ type: "skipCloseWait" })).toEqual([]); // the collection must finish
    expect(actions(host.finishCollection("ok", { mediaStarted: true }))).toEqual([
      { type: "abortMedia" },
      { type: "continueClose", reason: "mediaWaitSkipped" },
    ]);
  });

  it("skipping while media holds up the close sync: abort, then close sync without media", () => {
    const host = opened();
    host.tick(15 * MIN); // periodic media runs
    host.send({ type: "profileClosing" });
    expect(host.send({ type: "skipCloseWait" })).toEqual([{ type: "abortMedia" }]);
    expect(only(host.finishMedia("aborted"), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "close",
        media: false,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    expect(only(host.finishCollection("ok"), "continueClose")).toHaveLength(1);
  });

  it("records a failed close sync and does not retry it", () => {
    const host = opened();
    host.send({ type: "profileClosing" });
    const commands = host.finishCollection("networkError", { message: "timed out" });
    expect(only(commands, "setWakeup")).toEqual([]);
    expect(only(commands, "continueClose")).toHaveLength(1);
    expect(lastEntry(host)).toMatchObject({ trigger: "close", outcome: "networkError", message: "timed out" });
  });

  it("cancels the retry timer too", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    const commands = host.send({ type: "profileClosing" });
    expect(
      only(commands, "cancelWakeup")
        .map((c) => c.timer)
        .sort(),
    ).toEqual(["periodicMedia", "retry"]);
    expect(host.timers.size).toBe(0);
  });

  it("drops a queued media sync, since the close sync carries media", () => {
    const host = new FakeHost();
    host.open();
    host.tick(15 * MIN); // queued behind the open sync
    host.send({ type: "profileClosing" });
    expect(host.orchestrator.status().pending).toEqual(["close"]);
    expect(skips(host)).toMatchObject([{ kind: "media", trigger: "periodic", skippedReason: "closing" }]);
  });

  it("refuses a button press while closing", () => {
    const host = opened();
    host.send({ type: "profileClosing" });
    host.send({ type: "syncRequested", trigger: "button" });
    expect(lastEntry(host)).toMatchObject({ trigger: "button", skippedReason: "closing" });
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(only(host.log, "syncCollection").filter((c) => c.trigger === "button")).toEqual([]);
  });

  it("after closing, ignores everything but a new profile", () => {
    const host = opened({ syncMedia: false });
    host.send({ type: "profileClosing" });
    host.finishCollection("ok");
    const historyAtClose = host.orchestrator.history();
    for (const e of [
      { type: "syncRequested", trigger: "button" },
      { type: "wakeup", timer: "background" },
      { type: "wakeup", timer: "retry" },
      { type: "wakeup", timer: "periodicMedia" },
      { type: "networkChanged", online: true },
      { type: "accountChanged", signedIn: true, user: "other" },
      { type: "settingsChanged", settings: settings() },
    ] as const) {
      expect(host.send(e)).toEqual([]);
    }
    expect(host.orchestrator.history()).toEqual(historyAtClose);
    // A closing with no profile open is answered at once.
    expect(host.send({ type: "profileClosing" })).toEqual([{ type: "continueClose", reason: "notOpen" }]);
  });

  it("a profile switch is a close then an open, each with its own history", () => {
    const host = opened();
    host.send({ type: "profileClosing" });
    host.finishCollection("ok");
    host.finishMedia("ok");
    const b: HistoryEntry = { kind: "media", trigger: "periodic", startedAt: 1, durationMs: 1, outcome: "ok" };
    host.open({ profile: "User 2", state: { history: [b] } });
    expect(host.orchestrator.history()).toEqual([b]);
    expect(host.orchestrator.status().profile).toBe("User 2");
    expect(host.running).toEqual({ kind: "collection", trigger: "open", media: true });
  });

  it("an open while the last profile's media still winds down waits for it", () => {
    const host = opened();
    host.send({ type: "profileClosing" });
    host.finishCollection("ok");
    host.send({ type: "skipCloseWait" });
    expect(only(host.open({ profile: "User 2" }), "syncCollection")).toEqual([]);
    expect(only(host.finishMedia("aborted"), "syncCollection")).toHaveLength(1);
  });
});

describe("4. periodic media", () => {
  it("syncs media every interval and re-arms", () => {
    const host = opened();
    expect(host.tick(15 * MIN)).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN },
      { type: "syncMedia", trigger: "periodic" },
    ]);
    host.finishMedia("ok");
    host.tick(15 * MIN);
    expect(only(host.log, "syncMedia")).toHaveLength(2);
    expect(host.orchestrator.status().nextPeriodicMediaAt).toBe(45 * MIN);
  });

  it("records a failure, shows it, and simply tries again at the next interval", () => {
    const host = opened();
    host.tick(15 * MIN);
    host.t += 2_000;
    const commands = host.finishMedia("serverError", "503");
    expect(only(commands, "setWakeup")).toEqual([]); // no backoff for media
    const st = host.orchestrator.status();
    expect(st.lastMediaSync).toEqual({ at: 15 * MIN + 2_000, outcome: "serverError", message: "503" });
    expect(st.problem).toEqual({ kind: "mediaFailed", message: "503" });
    expect(lastEntry(host)).toMatchObject({ kind: "media", outcome: "serverError", durationMs: 2_000 });

    host.tick(15 * MIN);
    expect(host.running).toMatchObject({ kind: "media", trigger: "periodic" });
    host.finishMedia("ok");
    expect(host.orchestrator.status().problem).toBeUndefined();
  });

  it("does not wait for the user to be idle", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "review", quiet: false });
    expect(only(host.tick(15 * MIN), "syncMedia")).toHaveLength(1);
  });

  it("skips while paused but keeps ticking", () => {
    const host = opened();
    host.send({ type: "pauseChanged", paused: true });
    expect(actions(host.tick(15 * MIN))).toEqual([{ type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN }]);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("paused");
    host.send({ type: "pauseChanged", paused: false });
    expect(only(host.tick(15 * MIN), "syncMedia")).toHaveLength(1);
  });

  it("skips while offline", () => {
    const host = opened();
    host.send({ type: "networkChanged", online: false });
    host.tick(15 * MIN);
    expect(lastEntry(host)).toMatchObject({ kind: "media", skippedReason: "offline" });
    expect(host.timers.has("periodicMedia")).toBe(true);
  });

  it("has no timer when periodic media is off, and says so", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ periodicMedia: false }) });
    expect(only(host.log, "setWakeup")).toEqual([]);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("off");
  });

  it("ignores a wakeup for a timer it cancelled", () => {
    const host = opened();
    host.send({ type: "settingsChanged", settings: settings({ periodicMedia: false }) });
    expect(host.send({ type: "wakeup", timer: "periodicMedia" })).toEqual([]);
  });
});

describe("5. collection failures and backoff", () => {
  /** Open, then fail every sync; returns the retry delays asked for. */
  function failRepeatedly(times: number, random = () => 0.5): number[] {
    const host = new FakeHost(random);
    host.open({ settings: settings({ syncMedia: false }) });
    const delays: number[] = [];
    for (let i = 0; i < times; i++) {
      const set = only(host.finishCollection("networkError"), "setWakeup");
      delays.push(...set.filter((c) => c.timer === "retry").map((c) => c.delayMs));
      host.tick(host.timers.get("retry")! - host.t);
    }
    return delays;
  }

  it("retries after 30 s, doubling up to 15 min", () => {
    expect(failRepeatedly(8)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
  });

  it("jitters each delay with the injected random source", () => {
    expect(failRepeatedly(2, () => 0)).toEqual([24_000, 48_000]);
  });

  it("runs the retry when its wakeup fires, and shows when it is due", () => {
    const host = new FakeHost();
    host.open();
    host.t = 5_000;
    host.finishCollection("serverError", { message: "502" });
    expect(host.orchestrator.status().problem).toEqual({
      kind: "serverError",
      message: "502",
      retryAt: 35_000,
    });
    expect(host.orchestrator.status().nextRetryAt).toBe(35_000);
    expect(only(host.tick(30_000), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "retry",
        media: true,
        showProgress: false,
        showServerMessage: false,
        abortOnInput: true,
        timeoutSecs: 10,
      },
    ]);
  });

  it("a success resets the backoff and clears the problem", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ syncMedia: false }) });
    host.finishCollection("networkError");
    host.tick(30_000);
    host.finishCollection("networkError");
    host.tick(60_000);
    const commands = host.finishCollection("ok");
    expect(host.orchestrator.status().problem).toBeUndefined();
    expect(only(commands, "setWakeup")).toEqual([]);
    host.send({ type: "syncRequested", trigger: "button" });
    expect(only(host.finishCollection("failed"), "setWakeup")).toEqual([
      { type: "setWakeup", timer: "retry", delayMs: 30_000 },
    ]);
  });

  it("a success cancels a retry that is armed", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ syncMedia: false }) });
    host.finishCollection("networkError");
    host.send({ type: "syncRequested", trigger: "button" });
    expect(only(host.finishCollection("ok"), "cancelWakeup")).toEqual([{ type: "cancelWakeup", timer: "retry" }]);
    expect(host.orchestrator.status().nextRetryAt).toBeUndefined();
  });

  it("the network coming back retries at once and resets the backoff", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ syncMedia: false }) });
    host.finishCollection("networkError");
    host.tick(30_000);
    host.finishCollection("networkError"); // next would be 60 s
    host.send({ type: "networkChanged", online: false }); // the host reports only changes
    expect(actions(host.send({ type: "networkChanged", online: true }))).toEqual([
      { type: "cancelWakeup", timer: "retry" },
      {
        type: "syncCollection",
        trigger: "retry",
        media: false,
        showProgress: false,
        showServerMessage: false,
        abortOnInput: true,
        timeoutSecs: 10,
      },
    ]);
    expect(only(host.finishCollection("networkError"), "setWakeup")).toEqual([
      { type: "setWakeup", timer: "retry", delayMs: 30_000 },
    ]);
  });

  it("skips a retry while offline and runs it when the network returns", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    host.send({ type: "networkChanged", online: false });
    expect(only(host.tick(30_000), "syncCollection")).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "retry", skippedReason: "offline" });
    expect(host.orchestrator.status().online).toBe(false);
    expect(only(host.send({ type: "networkChanged", online: true }), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "retry",
        media: true,
        showProgress: false,
        showServerMessage: false,
        abortOnInput: true,
        timeoutSecs: 10,
      },
    ]);
  });

  it("the network coming back with no retry owed does nothing", () => {
    const host = opened();
    expect(host.send({ type: "networkChanged", online: true })).toEqual([]);
  });

  it("waits for the user to be idle before a retry", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    host.send({ type: "activityChanged", place: "review", quiet: false });
    expect(only(host.tick(30_000), "syncCollection")).toEqual([]);
    expect(skips(host)).toEqual([]); // postponed, not skipped
    expect(host.send({ type: "activityChanged", place: "review", quiet: false })).toEqual([]);
    expect(only(host.send({ type: "activityChanged", place: "deckBrowser", quiet: true }), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "retry",
        media: true,
        showProgress: false,
        showServerMessage: false,
        abortOnInput: true,
        timeoutSecs: 10,
      },
    ]);
    // Only once.
    host.finishCollection("ok");
    host.finishMedia("ok");
    host.send({ type: "activityChanged", place: "review", quiet: false });
    expect(only(host.send({ type: "activityChanged", place: "deckBrowser", quiet: true }), "syncCollection")).toEqual(
      [],
    );
  });

  it("retries a button failure only while auto sync is on", () => {
    const on = opened();
    on.send({ type: "syncRequested", trigger: "button" });
    expect(only(on.finishCollection("networkError"), "setWakeup")).toHaveLength(1);

    const off = opened({ autoSync: false });
    off.send({ type: "syncRequested", trigger: "button" });
    expect(only(off.finishCollection("networkError"), "setWakeup")).toEqual([]);
    expect(off.orchestrator.status().problem).toEqual({ kind: "networkError" });
  });

  it("neither retries nor complains when a sync was aborted", () => {
    const host = new FakeHost();
    host.open();
    expect(only(host.finishCollection("aborted"), "setWakeup")).toEqual([]);
    expect(host.orchestrator.status().problem).toBeUndefined();
  });

  it("queues a retry that fires mid-sync, and drops it if that sync fails anew", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ periodicMediaMinutes: 0.5 }) }); // media wakes with the retry
    host.finishCollection("networkError");
    host.t = 29_000;
    host.send({ type: "syncRequested", trigger: "button" });
    host.tick(1_000);
    expect(host.orchestrator.status().pending).toEqual(["retry", "periodic"]);
    const commands = host.finishCollection("networkError");
    // The new failure's backoff supersedes the queued retry; the queued media still runs.
    expect(actions(commands)).toEqual([
      { type: "setWakeup", timer: "retry", delayMs: 60_000 },
      { type: "syncMedia", trigger: "periodic" },
    ]);
  });

  it("drops a queued retry when the sync it waited for succeeds", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ syncMedia: false }) });
    host.finishCollection("networkError");
    host.send({ type: "syncRequested", trigger: "button" }); // runs at once
    host.tick(30_000); // the retry wakes mid-sync
    expect(host.orchestrator.status().pending).toEqual(["retry"]);
    expect(actions(host.finishCollection("ok"))).toEqual([]);
    expect(host.orchestrator.status().pending).toEqual([]);
  });
});

describe("6. auth failure", () => {
  it("stops retries and timers, shows the problem, and waits for a sign-in", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    host.send({ type: "syncRequested", trigger: "button" });
    const commands = host.finishCollection("authFailed", { message: "403" });
    expect(
      only(commands, "cancelWakeup")
        .map((c) => c.timer)
        .sort(),
    ).toEqual(["periodicMedia", "retry"]);
    const st = host.orchestrator.status();
    expect(st.signedIn).toBe(false);
    expect(st.problem).toEqual({ kind: "authFailed", message: "403" });
    expect(st.nextPeriodicMediaReason).toBe("authFailed");

    host.tick(60 * MIN);
    host.send({ type: "syncRequested", trigger: "sidebar" });
    expect(syncs(host)).toHaveLength(2);
    expect(lastEntry(host)).toMatchObject({ trigger: "sidebar", skippedReason: "authFailed" });
  });

  it("a sign-in clears it, re-arms media and syncs", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("authFailed");
    const commands = host.send({ type: "accountChanged", signedIn: true, user: "ana@example.com" });
    expect(actions(commands)).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN },
      {
        type: "syncCollection",
        trigger: "signIn",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    expect(host.orchestrator.status().problem).toBeUndefined();
  });

  it("runs the first sync after signing in even with automatic sync off, as Anki does after a login", () => {
    const host = new FakeHost();
    host.open({ signedIn: false, settings: { ...DEFAULT_TEST_SETTINGS, autoSync: false } });
    const commands = host.send({ type: "accountChanged", signedIn: true, user: "ana@example.com" });
    expect(only(commands, "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "signIn",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
  });

  it("syncs when the account changes, not when it is merely confirmed", () => {
    const host = opened();
    expect(
      host.send({
        type: "accountChanged",
        signedIn: true,
        user: "ana@example.com",
        server: "https://sync.flipnem.example/",
      }),
    ).toEqual([]);
    expect(
      only(
        host.send({
          type: "accountChanged",
          signedIn: true,
          user: "ben@example.com",
          server: "https://sync.flipnem.example/",
        }),
        "syncCollection",
      ),
    ).toEqual([
      {
        type: "syncCollection",
        trigger: "signIn",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    expect(host.orchestrator.status().user).toBe("ben@example.com");
  });

  it("a sign-out stops retries and the media timer", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    const commands = host.send({ type: "accountChanged", signedIn: false });
    expect(
      only(commands, "cancelWakeup")
        .map((c) => c.timer)
        .sort(),
    ).toEqual(["periodicMedia", "retry"]);
    expect(host.orchestrator.status().problem).toBeUndefined();
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("signedOut");
  });

  it("the host clearing the key afterwards keeps the explanation", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("authFailed");
    host.send({ type: "accountChanged", signedIn: false });
    expect(host.orchestrator.status().problem?.kind).toBe("authFailed");
  });

  it("a media auth failure counts the same", () => {
    const host = opened();
    host.tick(15 * MIN);
    host.finishMedia("authFailed");
    expect(host.orchestrator.status().problem?.kind).toBe("authFailed");
    expect(host.timers.has("periodicMedia")).toBe(false);
  });
});

describe("7. full sync required", () => {
  it("on an automatic sync: shown as a problem, not retried, no dialog", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ backgroundSync: true }) });
    const commands = host.finishCollection("fullSyncRequired");
    expect(only(commands, "chooseFullSync", "setWakeup")).toEqual([]);
    expect(host.orchestrator.status().problem).toEqual({ kind: "fullSyncRequired" });

    host.send({ type: "localChange", kinds: ["card"] });
    host.tick(BACKGROUND_DELAY_MS);
    expect(lastEntry(host)).toMatchObject({ trigger: "background", skippedReason: "fullSyncRequired" });
  });

  it("on the button: the user chooses", () => {
    const host = opened();
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "syncRequested", trigger: "button" }); // queued: dropped, the user is choosing
    expect(actions(host.finishCollection("fullSyncRequired"))).toEqual([
      { type: "chooseFullSync" },
      { type: "revealSidebar" },
    ]);
    // the choice holds the queue: nothing starts beside Anki's upload or download
    expect(host.running).toEqual({ kind: "full" });
    expect(only(host.send({ type: "syncRequested", trigger: "button" }), "syncCollection")).toEqual([]);
    host.tick(60 * MIN);
    expect(host.running).toEqual({ kind: "full" });
    expect(lastEntry(host)).toMatchObject({ trigger: "button", skippedReason: "fullSyncRequired" });
  });

  it("the user's upload or download clears it; Cancel leaves it, and the queued press then runs", () => {
    const done = opened();
    done.send({ type: "syncRequested", trigger: "button" });
    done.finishCollection("fullSyncRequired");
    done.finishFullSync("ok");
    expect(done.orchestrator.status().problem).toBeUndefined();
    expect(done.orchestrator.status().lastCollectionSync).toMatchObject({ outcome: "ok" });

    const cancelled = opened();
    cancelled.send({ type: "syncRequested", trigger: "button" });
    cancelled.finishCollection("fullSyncRequired");
    cancelled.send({ type: "syncRequested", trigger: "sidebar" });
    expect(only(cancelled.finishFullSync("cancelled"), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "sidebar",
        media: true,
        showProgress: true,
        showServerMessage: true,
        abortOnInput: false,
      },
    ]);
    expect(lastEntry(cancelled)).toMatchObject({ trigger: "button", outcome: "cancelled" });
  });

  it("a later success clears it", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("fullSyncRequired");
    host.send({ type: "syncRequested", trigger: "button" });
    host.finishCollection("ok");
    expect(host.orchestrator.status().problem).toBeUndefined();
  });
});

describe("8. button and sidebar", () => {
  it("syncs with media as set, even with auto sync off and while paused", () => {
    const host = opened({ autoSync: false, syncMedia: false });
    host.send({ type: "pauseChanged", paused: true });
    expect(actions(host.send({ type: "syncRequested", trigger: "sidebar" }))).toEqual([
      {
        type: "syncCollection",
        trigger: "sidebar",
        media: false,
        showProgress: true,
        showServerMessage: true,
        abortOnInput: false,
      },
    ]);
  });

  it("does not wait for idle", () => {
    const host = opened();
    host.send({ type: "activityChanged", place: "review", quiet: false });
    expect(only(host.send({ type: "syncRequested", trigger: "button" }), "syncCollection")).toHaveLength(1);
  });

  it("is refused when signed out", () => {
    const host = new FakeHost();
    host.open({ signedIn: false });
    expect(actions(host.send({ type: "syncRequested", trigger: "button" }))).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "button", skippedReason: "signedOut" });
  });

  it("is ignored before any profile is open", () => {
    const host = new FakeHost();
    expect(actions(host.send({ type: "syncRequested", trigger: "button" }))).toEqual([]);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("notOpen");
  });

  it("records the outcome with duration and server message", () => {
    const host = opened({ syncMedia: false });
    host.t = 100_000;
    host.send({ type: "syncRequested", trigger: "button" });
    host.send({ type: "collectionSyncStarted", trigger: "button" });
    host.send({ type: "collectionSyncProgress", stage: "uploading" });
    expect(host.orchestrator.status().running).toEqual({
      kind: "collection",
      trigger: "button",
      startedAt: 100_000,
      stage: "uploading",
    });
    host.t = 103_500;
    const counts = "Added/modified: 2↑ 0↓ · Removed: 0↑ 0↓";
    host.finishCollection("ok", { serverMessage: "Maintenance at 2am", counts, mediaStarted: true });
    expect(lastEntry(host)).toEqual({
      kind: "collection",
      trigger: "button",
      startedAt: 100_000,
      durationMs: 3_500,
      outcome: "ok",
      serverMessage: "Maintenance at 2am",
      counts,
    });
    expect(host.orchestrator.status().lastCollectionSync).toEqual({ at: 103_500, outcome: "ok" });
    host.t = 104_000;
    host.finishMedia("ok", undefined, "Checked: 3 · Added: 1↑ 0↓ · Removed: 0↑ 0↓");
    expect(lastEntry(host)).toMatchObject({ kind: "media", counts: "Checked: 3 · Added: 1↑ 0↓ · Removed: 0↑ 0↓" });
    // counts survive a restart of the page with the rest of the history
    const again = new FakeHost();
    again.open({ state: host.saved });
    expect(again.orchestrator.history().at(-1)).toMatchObject({ counts: "Checked: 3 · Added: 1↑ 0↓ · Removed: 0↑ 0↓" });
  });
});

describe("9. settings take effect at once", () => {
  it("a new interval counts from now", () => {
    const host = opened();
    host.t = 10 * MIN;
    expect(host.send({ type: "settingsChanged", settings: settings({ periodicMediaMinutes: 30 }) })).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 30 * MIN },
    ]);
    expect(host.orchestrator.status().nextPeriodicMediaAt).toBe(40 * MIN);
    host.tick(29 * MIN);
    expect(only(host.log, "syncMedia")).toEqual([]);
    host.tick(1 * MIN);
    expect(only(host.log, "syncMedia")).toHaveLength(1);
  });

  it("an unrelated change leaves the media timer alone", () => {
    const host = opened();
    expect(host.send({ type: "settingsChanged", settings: settings({ backgroundSync: true }) })).toEqual([]);
  });

  it("periodic media off cancels the timer; on arms it", () => {
    const host = opened();
    expect(host.send({ type: "settingsChanged", settings: settings({ periodicMedia: false }) })).toEqual([
      { type: "cancelWakeup", timer: "periodicMedia" },
    ]);
    expect(host.send({ type: "settingsChanged", settings: settings() })).toEqual([
      { type: "setWakeup", timer: "periodicMedia", delayMs: 15 * MIN },
    ]);
  });

  it("media off: no media timer and collection syncs without media", () => {
    const host = opened();
    host.send({ type: "settingsChanged", settings: settings({ syncMedia: false }) });
    expect(host.timers.has("periodicMedia")).toBe(false);
    expect(actions(host.send({ type: "syncRequested", trigger: "button" }))).toEqual([
      {
        type: "syncCollection",
        trigger: "button",
        media: false,
        showProgress: true,
        showServerMessage: true,
        abortOnInput: false,
      },
    ]);
  });

  it("auto sync off: no close sync, and pending retries stop", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    expect(host.send({ type: "settingsChanged", settings: settings({ autoSync: false }) })).toEqual([
      { type: "cancelWakeup", timer: "retry" },
    ]);
    expect(only(host.send({ type: "profileClosing" }), "syncCollection")).toEqual([]);
    expect(host.continues).toBe(1);
  });

  it("a non-positive interval means no timer", () => {
    const host = new FakeHost();
    host.open({ settings: settings({ periodicMediaMinutes: 0 }) });
    expect(host.timers.has("periodicMedia")).toBe(false);
    expect(host.orchestrator.status().nextPeriodicMediaReason).toBe("off");
  });
});

describe("10. pause", () => {
  it("stops retries with a reason, and runs the owed retry on resume", () => {
    const host = new FakeHost();
    host.open();
    host.finishCollection("networkError");
    host.send({ type: "pauseChanged", paused: true });
    expect(only(host.tick(30_000), "syncCollection")).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "retry", skippedReason: "paused" });
    expect(only(host.send({ type: "pauseChanged", paused: false }), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "retry",
        media: true,
        showProgress: false,
        showServerMessage: false,
        abortOnInput: true,
        timeoutSecs: 10,
      },
    ]);
  });

  it("stops background syncs", () => {
    const host = opened({ backgroundSync: true });
    host.send({ type: "pauseChanged", paused: true });
    host.send({ type: "localChange", kinds: ["card"] });
    expect(only(host.tick(BACKGROUND_DELAY_MS), "syncCollection")).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "background", skippedReason: "paused" });
  });

  it("covers open and close too: what waits goes at the next sync after it", () => {
    const host = new FakeHost();
    host.send({ type: "pauseChanged", paused: true });
    expect(only(host.open(), "syncCollection")).toEqual([]);
    expect(lastEntry(host)).toMatchObject({ trigger: "open", skippedReason: "paused" });
    expect(only(host.send({ type: "profileClosing" }), "syncCollection")).toEqual([]);
    expect(only(host.log, "continueClose")).toEqual([{ type: "continueClose", reason: "paused" }]);
    expect(host.orchestrator.status().paused).toBe(true);
  });
});

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
    expect(only(host.tick(BACKGROUND_DELAY_MS / 2), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "background",
        media: true,
        showProgress: false,
        showServerMessage: false,
        abortOnInput: true,
        timeoutSecs: 10,
      },
    ]);
  });

  it("never under the user's hands: it waits until they are idle", () => {
    const host = opened({ backgroundSync: true });
    host.send({ type: "activityChanged", place: "review", quiet: false });
    host.send({ type: "localChange", kinds: ["card"] });
    expect(only(host.tick(BACKGROUND_DELAY_MS), "syncCollection")).toEqual([]);
    expect(only(host.send({ type: "activityChanged", place: "deckBrowser", quiet: true }), "syncCollection")).toEqual([
      {
        type: "syncCollection",
        trigger: "background",
        media: true,
        showProgress: false,
        showServerMessage: false,
        abortOnInput: true,
        timeoutSecs: 10,
      },
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
});

describe("12. history and saved state", () => {
  it("saves state after every history change, and only then", () => {
    const host = new FakeHost();
    expect(only(host.open(), "saveState")).toEqual([]);
    const saved = only(host.finishCollection("ok"), "saveState");
    expect(saved).toHaveLength(1);
    expect(saved[0]?.state.history).toEqual(host.orchestrator.history());
    expect(saved[0]?.state.lastCollectionSync).toEqual({ at: 0, outcome: "ok" });
    expect(only(host.send({ type: "mediaSyncProgress", text: "1" }), "saveState")).toEqual([]);
    expect(only(host.finishMedia("ok"), "saveState")).toHaveLength(1);
    expect(host.saved?.lastMediaSync).toEqual({ at: 0, outcome: "ok" });
  });

  it("does not save for a skip it has already recorded", () => {
    const host = opened();
    host.send({ type: "pauseChanged", paused: true });
    expect(only(host.tick(15 * MIN), "saveState")).toHaveLength(1);
    expect(only(host.tick(15 * MIN), "saveState")).toEqual([]);
  });

  it("keeps the newest 200 entries", () => {
    const host = new FakeHost();
    host.open({ signedIn: false });
    for (let i = 0; i < 250; i++) {
      host.t = i;
      host.send({ type: "syncRequested", trigger: "button" });
    }
    const history = host.orchestrator.history();
    expect(history).toHaveLength(200);
    expect(history[0]?.startedAt).toBe(50);
    expect(host.saved?.history).toHaveLength(200);
  });

  it("hands out copies the caller cannot corrupt", () => {
    const host = opened();
    host.orchestrator.history().pop();
    host.orchestrator.history()[0]!.outcome = "tampered";
    expect(host.orchestrator.history().map((e) => e.outcome)).toEqual(["ok", "ok"]);
  });
});

describe("decisions the host only carries out", () => {
  it("a sign-in made while no page was up: its sync is the user's own and replaces the open sync", () => {
    const host = new FakeHost();
    host.crash();
    host.open({ signedIn: false });
    host.send({
      type: "accountChanged",
      signedIn: true,
      user: "ana@example.com",
      server: "https://sync.flipnem.example/",
    });
    expect(syncs(host)).toEqual([]);
    host.restartPage();
    expect(syncs(host)).toEqual([
      {
        type: "syncCollection",
        trigger: "signIn",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
  });

  it("a page that comes up during a close runs what the profile was owed, then the close sync, and lets Anki close once", () => {
    const host = new FakeHost();
    host.crash();
    host.open();
    host.send({ type: "profileClosing" });
    expect(syncs(host)).toEqual([]);
    host.restartPage();
    expect(syncs(host).map((c) => c.trigger)).toEqual(["open"]);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(syncs(host).slice(1)).toEqual([
      {
        type: "syncCollection",
        trigger: "close",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(only(host.log, "continueClose")).toEqual([{ type: "continueClose", reason: "synced" }]);
  });

  it("a first connection saves config.json's defaults before its first sync, which follows them", () => {
    const host = opened({ syncMedia: false, autoSync: false });
    const defaults = settings({ syncMedia: true, autoSync: true });
    const out = actions(
      host.send({ type: "accountChanged", signedIn: true, user: "new", server: "https://x/", defaults }),
    );
    expect(out.filter((c) => c.type !== "setWakeup" && c.type !== "cancelWakeup")).toEqual([
      { type: "saveSettings", settings: defaults },
      {
        type: "syncCollection",
        trigger: "signIn",
        media: true,
        showProgress: true,
        showServerMessage: false,
        abortOnInput: false,
      },
    ]);
  });

  it("only changes to notes, cards, decks, note types or tags start the background countdown", () => {
    const host = opened({ backgroundSync: true });
    host.send({ type: "localChange", kinds: ["config", "study_queues"] });
    expect(host.timers.has("background")).toBe(false);
    host.send({ type: "localChange", kinds: ["study_queues", "card"] });
    expect(host.timers.has("background")).toBe(true);
  });

  it("Skip in the slow close's window lets Anki close at once, whatever runs", () => {
    const host = opened();
    host.send({ type: "profileClosing" });
    expect(host.running?.kind).toBe("collection");
    expect(only(host.send({ type: "closeSkipped" }), "continueClose")).toEqual([
      { type: "continueClose", reason: "skipped" },
    ]);
    expect(only(host.send({ type: "closeSkipped" }), "continueClose")).toEqual([]);
    expect(only(opened().send({ type: "closeSkipped" }), "continueClose")).toEqual([]);
  });

  it("a rejected key is forgotten and the sidebar shown; during a close it is only forgotten", () => {
    const host = opened();
    host.send({ type: "syncRequested", trigger: "button" });
    expect(
      actions(host.finishCollection("authFailed")).filter((c) => c.type === "forgetKey" || c.type === "revealSidebar"),
    ).toEqual([{ type: "forgetKey" }, { type: "revealSidebar" }]);
    const closing = opened();
    closing.send({ type: "profileClosing" });
    const out = actions(closing.finishCollection("authFailed"));
    expect(out.filter((c) => c.type === "forgetKey" || c.type === "revealSidebar")).toEqual([{ type: "forgetKey" }]);
  });
});
