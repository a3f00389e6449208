// A page that crashed or came up late: what Python hands the new page, and what it then runs.
import { describe, expect, it } from "vitest";
import { FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, opened, syncs, syncOf } from "../../../test/fakes/scenarios";

describe("a page started again", () => {
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

  it("a page started again mid-session runs no open sync again, and arms nothing again", () => {
    const host = opened();
    const history = host.orchestrator.history();
    expect(host.restartPage()).toEqual([]);
    expect(host.orchestrator.history()).toEqual(history);
    expect(host.orchestrator.status().nextPeriodicMediaAt).toBe(15 * MIN);
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
    expect(syncs(host).slice(before)).toEqual([syncOf("retry")]);
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
    expect(syncs(host)).toEqual([syncOf("signIn")]);
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
    expect(syncs(host).slice(1)).toEqual([syncOf("close")]);
    host.finishCollection("ok");
    host.finishMedia("ok");
    expect(only(host.log, "continueClose")).toEqual([{ type: "continueClose", reason: "synced" }]);
  });
});
