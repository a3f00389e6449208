// Closing a profile: the close sync, the wait for media, Skip, and the one continueClose.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, settings, opened, lastEntry, skips, syncOf } from "../../../test/fakes/scenarios";
import type { HistoryEntry } from "./types";

describe("3. close", () => {
  it("syncs, waits for media, then lets Anki close, exactly once", () => {
    const host = opened();
    host.t = 10 * MIN;
    expect(host.send({ type: "profileClosing" })).toEqual([
      { type: "cancelWakeup", timer: "periodicMedia" },
      syncOf("close"),
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
    expect(only(host.finishMedia("ok"), "syncCollection")).toEqual([syncOf("close")]);
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
    expect(only(host.finishMedia("aborted"), "syncCollection")).toEqual([syncOf("close", { media: false })]);
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
});
