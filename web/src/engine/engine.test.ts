import { get } from "svelte/store";
import { describe, expect, it } from "vitest";
import type { Bridge, EventListener } from "../bridge/bridge";
import { DEFAULT_SETTINGS } from "../core/defaults";
import { createOrchestrator } from "../core/orchestrator";
import type { Command } from "../core/types";
import type { CommandName } from "../protocol/protocol";
import { startEngine } from "./engine";

const settings = { ...DEFAULT_SETTINGS };
const opened = { profile: "User 1", signedIn: true, user: "ana", server: "https://x/", settings };

type Restart = { snapshot?: unknown; seq: number; events: unknown[] };
type Sent = { command: CommandName; args: Record<string, unknown> };

function fakeBridge(
  restart: Restart = { seq: 0, events: [{ event: "profileOpened", data: opened, seq: 1, at: 1000 }] },
  extra: Record<string, unknown> = {},
) {
  const sent: Sent[] = [];
  let listener: EventListener | undefined;
  const bridge: Bridge = {
    async request<T>(command: CommandName, args: Record<string, unknown> = {}): Promise<T> {
      sent.push({ command, args });
      if (command === "hello") return { version: "9.9.9", problems: [], missing: [], restart, ...extra } as T;
      if (command === "handled") return { done: (args.commands as unknown[]).length, problems: [] } as T;
      return { ok: true } as T;
    },
    onEvent(l) {
      listener = l;
      return () => undefined;
    },
    receive() {},
  };
  let seq = restart.seq + restart.events.length;
  const push = (event: string, data: Record<string, unknown>, at?: number) => {
    seq += 1;
    listener?.({ event, data, seq, ...(at === undefined ? {} : { at }) } as never);
  };
  /** Every command handed to Python, in order, out of the `handled` messages. */
  const commands = () => sent.filter((s) => s.command === "handled").flatMap((s) => s.args.commands as Command[]);
  const lastHanded = () => sent.filter((s) => s.command === "handled").at(-1)?.args;
  return { bridge, sent, push, commands, lastHanded, rawListener: () => listener };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe("engine", () => {
  it("a restarted page stays paused: the pause comes back in the snapshot, and pausing hands Python a new one", async () => {
    const before = createOrchestrator({ now: () => 1000, random: () => 0.5 });
    before.handle({ type: "profileOpened", ...opened }, 1000);
    before.handle({ type: "pauseChanged", paused: true });
    const { bridge, lastHanded } = fakeBridge(
      { snapshot: before.snapshot(), seq: 1, events: [] },
      { missing: ["metering"] },
    );
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    expect(get(engine.view).status.paused).toBe(true);
    // what this Anki cannot sense comes with hello, for the sidebar to say
    expect(get(engine.view).missing).toEqual(["metering"]);
    engine.setPaused(false);
    await flush();
    expect(lastHanded()).toMatchObject({ seq: 1, snapshot: { env: { paused: false } } });
    expect(get(engine.view).status.paused).toBe(false);
  });

  it("replays the events since the snapshot through the orchestrator and hands over its open sync", async () => {
    const { bridge, commands, lastHanded } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 5000, random: () => 0.5 });
    await engine.ready;
    await flush();
    expect(get(engine.view)).toMatchObject({ connected: true, version: "9.9.9" });
    expect(commands().find((c) => c.type === "syncCollection")).toEqual({
      type: "syncCollection",
      trigger: "open",
      media: true,
      showProgress: true,
      showServerMessage: false,
      abortOnInput: false,
      probe: false,
    });
    // the snapshot says which event it follows, so Python drops it from the journal
    expect(lastHanded()?.seq).toBe(1);
    // a replayed event keeps the time Python saw it
    expect(get(engine.view).status.running?.startedAt).toBe(1000);
  });

  it("an event the snapshot already holds is not taken again; one that came before hello's answer is taken after it", async () => {
    const { bridge, rawListener, commands } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    // pushed before the hello is answered: held, then taken once
    rawListener()?.({ event: "collectionSyncFinished", data: { outcome: "ok", mediaStarted: false }, seq: 2 } as never);
    rawListener()?.({ event: "collectionSyncFinished", data: { outcome: "ok", mediaStarted: false }, seq: 2 } as never);
    await engine.ready;
    await flush();
    expect(get(engine.view).history.filter((e) => e.trigger === "open")).toHaveLength(1);
    // a number already taken (Python delivered it twice) changes nothing
    rawListener()?.({ event: "syncRequested", data: { trigger: "button" }, seq: 1 } as never);
    await flush();
    expect(commands().filter((c) => c.type === "syncCollection")).toHaveLength(1);
  });

  it("a sync Python could not start ends by Python's own event, and the queue goes on", async () => {
    const { bridge, push, commands } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    push("collectionSyncFinished", { outcome: "failed", message: "a sync is already running", mediaStarted: false });
    await flush();
    const status = get(engine.view).status;
    expect(status.running).toBeNull();
    expect(status.lastCollectionSync).toMatchObject({ outcome: "failed" });
    engine.syncNow();
    await flush();
    expect(commands().filter((c) => c.type === "syncCollection")).toHaveLength(2);
  });

  it("a full sync choice Python could not offer releases the queue and leaves the problem shown", async () => {
    const { bridge, push, commands } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    push("collectionSyncFinished", { outcome: "ok", mediaStarted: false });
    engine.syncNow();
    await flush();
    push("collectionSyncFinished", { outcome: "fullSyncRequired", mediaStarted: false });
    await flush();
    expect(commands().map((c) => c.type)).toContain("chooseFullSync");
    push("fullSyncFinished", { outcome: "failed", message: "no full sync is waiting" });
    await flush();
    const status = get(engine.view).status;
    expect(status.running).toBeNull();
    expect(status.problem).toMatchObject({ kind: "fullSyncRequired" });
    engine.syncNow();
    await flush();
    expect(commands().filter((c) => c.type === "syncCollection")).toHaveLength(3);
  });

  it("passes host events on and leaves the panel's own events alone", async () => {
    const { bridge, push, commands } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    push("signInFinished", { outcome: "ok" });
    push("connectionTested", { server: "https://x/", reachable: true });
    push("fullSyncChoice", { required: "upload", localNotes: 1, localCards: 1 });
    push("collectionSyncFinished", { outcome: "ok", mediaStarted: false });
    await flush();
    expect(get(engine.view).status.lastCollectionSync).toMatchObject({ outcome: "ok" });
    expect(commands().filter((c) => c.type === "saveState").length).toBeGreaterThan(0);
    // the panel's events never reached the orchestrator, which refuses what is not its own
    expect(get(engine.view).problems).toEqual([]);
  });

  it("hands a close's commands over in one message: timers and saved history first, the close sync last", async () => {
    const { bridge, sent, push } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    push("collectionSyncFinished", { outcome: "ok", mediaStarted: true });
    push("mediaSyncFinished", { outcome: "ok" });
    await flush();
    const before = sent.length;
    push("profileClosing", {});
    await flush();
    const messages = sent.slice(before);
    expect(messages.map((s) => s.command)).toEqual(["handled"]);
    const closing = (messages[0]!.args.commands as Command[]).map((c) => c.type);
    const first = closing.indexOf("syncCollection");
    expect(first).toBeGreaterThan(0);
    expect(closing.slice(0, first).every((type) => ["setWakeup", "cancelWakeup", "saveState"].includes(type))).toBe(
      true,
    );
    expect(closing.at(-1)).toBe("syncCollection");
  });

  it("hands nothing over for an event that changed nothing", async () => {
    const { bridge, sent, push } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    const before = sent.length;
    push("collectionSyncStarted", { trigger: "open" });
    await flush();
    expect(sent.slice(before)).toEqual([]);
  });

  it("after many events that changed nothing, says it has them, so Python's journal stays short", async () => {
    const { bridge, sent, push } = fakeBridge();
    const engine = startEngine(bridge, { now: () => 1000, random: () => 0.5 });
    await engine.ready;
    await flush();
    const before = sent.length;
    for (let i = 0; i < 49; i++) push("collectionSyncStarted", { trigger: "open" });
    await flush();
    expect(sent.slice(before)).toEqual([]);
    push("collectionSyncStarted", { trigger: "open" });
    await flush();
    expect(sent.slice(before)).toMatchObject([{ command: "handled", args: { seq: 51, commands: [] } }]);
  });
});
