import { get } from "svelte/store";
import { describe, expect, it } from "vitest";
import type { Bridge, EventListener } from "../bridge/bridge";
import { BridgeError } from "../bridge/bridge";
import { DEFAULT_SETTINGS } from "../core/defaults";
import type { CommandName } from "../protocol/protocol";
import { startEngine } from "./engine";

const settings = { ...DEFAULT_SETTINGS };

function fakeBridge(answers: Partial<Record<CommandName, (args: Record<string, unknown>) => unknown>> = {}) {
  const sent: Array<{ command: CommandName; args: Record<string, unknown> }> = [];
  let listener: EventListener | undefined;
  const bridge: Bridge = {
    async request<T>(command: CommandName, args: Record<string, unknown> = {}): Promise<T> {
      sent.push({ command, args });
      if (command === "hello") {
        return {
          version: "9.9.9",
          problems: [],
          missing: [],
          session: { profile: "User 1", signedIn: true, user: "ana", server: "https://x/", settings, openSync: true },
        } as T;
      }
      const answer = answers[command];
      return (answer ? answer(args) : { ok: true }) as T;
    },
    onEvent(l) {
      listener = l;
      return () => undefined;
    },
    receive() {},
  };
  const push = (event: string, data: Record<string, unknown>) => listener?.({ event, data } as never);
  return { bridge, sent, push };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("engine", () => {
  it("a restarted page stays paused: the pause comes back with hello, and pausing tells Python", async () => {
    const { bridge, sent } = fakeBridge({ hello: undefined });
    const paused = {
      ...bridge,
      request: async <T>(command: CommandName, args: Record<string, unknown> = {}) => {
        if (command === "hello") {
          return {
            version: "1",
            problems: [],
            missing: ["metering"],
            paused: true,
            session: { profile: "User 1", signedIn: true, settings, openSync: false },
          } as T;
        }
        return bridge.request<T>(command, args);
      },
    };
    const engine = startEngine(paused, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    expect(get(engine.view).status.paused).toBe(true);
    // what this Anki cannot sense comes with hello, for the sidebar to say
    expect(get(engine.view).missing).toEqual(["metering"]);
    engine.setPaused(false);
    await flush();
    expect(sent).toContainEqual({ command: "setPaused", args: { paused: false } });
    expect(get(engine.view).status.paused).toBe(false);
  });

  it("feeds the hello session to the orchestrator and carries out its open sync", async () => {
    const { bridge, sent } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    expect(get(engine.view)).toMatchObject({ connected: true, version: "9.9.9" });
    expect(sent.map((s) => s.command)).toContain("syncCollection");
    expect(sent.find((s) => s.command === "syncCollection")?.args).toEqual({
      trigger: "open",
      media: true,
      showProgress: true,
      showServerMessage: false,
      abortOnInput: false,
    });
  });

  it("reports a sync Python refused back to the orchestrator, so the queue never stalls", async () => {
    const { bridge, sent } = fakeBridge({
      syncCollection: () => {
        throw new BridgeError("busy", "a sync is already running");
      },
    });
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    const status = get(engine.view).status;
    expect(status.running).toBeNull();
    expect(status.lastCollectionSync).toMatchObject({ outcome: "failed" });
    engine.syncNow();
    await flush();
    expect(sent.filter((s) => s.command === "syncCollection")).toHaveLength(2);
  });

  it("a full sync choice Python could not offer releases the queue and leaves the problem shown", async () => {
    const { bridge, sent, push } = fakeBridge({
      chooseFullSync: () => {
        throw new BridgeError("noFullSync", "no full sync is waiting");
      },
    });
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    push("collectionSyncFinished", { outcome: "ok", mediaStarted: false });
    engine.syncNow();
    await flush();
    push("collectionSyncFinished", { outcome: "fullSyncRequired", mediaStarted: false });
    await flush();
    expect(sent.map((s) => s.command)).toContain("chooseFullSync");
    const status = get(engine.view).status;
    expect(status.running).toBeNull();
    expect(status.problem).toMatchObject({ kind: "fullSyncRequired" });
    engine.syncNow();
    await flush();
    expect(sent.filter((s) => s.command === "syncCollection")).toHaveLength(3);
  });

  it("passes host events on and leaves the panel's own events alone", async () => {
    const { bridge, sent, push } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    push("signInFinished", { outcome: "ok" });
    push("connectionTested", { server: "https://x/", reachable: true });
    push("fullSyncChoice", { required: "upload", localNotes: 1, localCards: 1 });
    push("collectionSyncFinished", { outcome: "ok", mediaStarted: false });
    await flush();
    expect(get(engine.view).status.lastCollectionSync).toMatchObject({ outcome: "ok" });
    expect(sent.filter((s) => s.command === "saveState").length).toBeGreaterThan(0);
    // the panel's events never reached the orchestrator, which refuses what is not its own
    expect(get(engine.view).problems).toEqual([]);
  });

  it("sends a close's commands at once: the close sync never waits for Python to answer the commands before it", async () => {
    const unanswered = () => new Promise(() => undefined);
    const held = ["setWakeup", "cancelWakeup", "saveState", "setTopBar"] as const;
    const { bridge, sent, push } = fakeBridge(Object.fromEntries(held.map((command) => [command, unanswered])));
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    push("collectionSyncFinished", { outcome: "ok", mediaStarted: true });
    push("mediaSyncFinished", { outcome: "ok" });
    await flush();
    const before = sent.length;
    push("profileClosing", {});
    await flush();
    const closing = sent.slice(before).map((s) => s.command);
    // the close cancels its timers and saves its history first; none of them has been answered
    const first = closing.indexOf("syncCollection");
    expect(first).toBeGreaterThan(0);
    expect(closing.slice(0, first).every((command) => (held as readonly string[]).includes(command))).toBe(true);
    expect(sent.at(-1)).toEqual({ command: "syncCollection", args: expect.objectContaining({ trigger: "close" }) });
  });
});
