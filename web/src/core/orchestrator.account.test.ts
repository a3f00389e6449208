// The account: a rejected key, signing in and out, and a first connection's defaults.
import { describe, expect, it } from "vitest";
import { DEFAULT_TEST_SETTINGS, FakeHost, actions, only } from "../../../test/fakes/fakeHost";
import { MIN, settings, opened, syncs, lastEntry, syncOf } from "../../../test/fakes/scenarios";

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
      syncOf("signIn"),
    ]);
    expect(host.orchestrator.status().problem).toBeUndefined();
  });

  it("runs the first sync after signing in even with automatic sync off, as Anki does after a login", () => {
    const host = new FakeHost();
    host.open({ signedIn: false, settings: { ...DEFAULT_TEST_SETTINGS, autoSync: false } });
    const commands = host.send({ type: "accountChanged", signedIn: true, user: "ana@example.com" });
    expect(only(commands, "syncCollection")).toEqual([syncOf("signIn")]);
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
    ).toEqual([syncOf("signIn")]);
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

  it("a first connection saves config.json's defaults before its first sync, which follows them", () => {
    const host = opened({ syncMedia: false, autoSync: false });
    const defaults = settings({ syncMedia: true, autoSync: true });
    const out = actions(
      host.send({ type: "accountChanged", signedIn: true, user: "new", server: "https://x/", defaults }),
    );
    expect(out.filter((c) => c.type !== "setWakeup" && c.type !== "cancelWakeup")).toEqual([
      { type: "saveSettings", settings: defaults },
      syncOf("signIn"),
    ]);
  });
});
