import { describe, expect, it, vi } from "vitest";
import { createBridge, type Pycmd } from "./bridge";

function fakePython(answer: (text: string) => unknown): { pycmd: Pycmd; sent: string[] } {
  const sent: string[] = [];
  return {
    sent,
    pycmd: (text, callback) => {
      sent.push(text);
      queueMicrotask(() => callback(answer(text)));
    },
  };
}

describe("bridge", () => {
  it("sends prefixed requests with increasing ids and resolves with the result", async () => {
    const py = fakePython((text) => ({ id: JSON.parse(text.slice(8)).id, ok: true, result: { pong: true, at: 5 } }));
    const bridge = createBridge(() => py.pycmd);
    await expect(bridge.request("ping", {})).resolves.toEqual({ pong: true, at: 5 });
    await bridge.request("ping", {});
    expect(py.sent.map((t) => JSON.parse(t.slice(8)).id)).toEqual([1, 2]);
    expect(py.sent[0]?.startsWith("flipnem:")).toBe(true);
  });

  it("rejects with the error Python sent as data", async () => {
    const py = fakePython(() => ({ id: 1, ok: false, error: { code: "busy", message: "a sync is already running" } }));
    const bridge = createBridge(() => py.pycmd);
    await expect(bridge.request("syncMedia", { trigger: "periodic" })).rejects.toMatchObject({ code: "busy" });
  });

  it("rejects when Python gives no reply", async () => {
    const bridge = createBridge(() => fakePython(() => null).pycmd);
    await expect(bridge.request("ping", {})).rejects.toMatchObject({ code: "noReply" });
  });

  it("waits for pycmd to appear, as Anki defines it after the page starts", async () => {
    let pycmd: Pycmd | undefined;
    const bridge = createBridge(() => pycmd);
    const pending = bridge.request("nextDay", {});
    setTimeout(() => (pycmd = fakePython(() => ({ id: 1, ok: true, result: { at: 1 } })).pycmd), 50);
    await expect(pending).resolves.toEqual({ at: 1 });
  });

  it("finds pycmd without waiting on timers, which Chromium holds to once a second in a hidden page", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval"] });
    try {
      let looks = 0;
      const py = fakePython(() => ({ id: 1, ok: true, result: { at: 1 } }));
      // defined after a few looks; no timer is ever advanced
      const bridge = createBridge(() => (++looks > 5 ? py.pycmd : undefined));
      await expect(bridge.request("nextDay", {})).resolves.toEqual({ at: 1 });
      expect(looks).toBe(6);
    } finally {
      vi.useRealTimers();
    }
  });

  it("gives up with a clear error outside Anki", async () => {
    const bridge = createBridge(() => undefined, undefined, 60);
    await expect(bridge.request("ping", {})).rejects.toMatchObject({ code: "noBridge" });
  });

  it("checks every reply against protocol.json once: one that does not fit is a BridgeError, never half-read", async () => {
    const answers: unknown[] = [{ pong: true }, { pong: "yes", at: 1 }, { pong: true, at: 1, extra: 2 }, "pong"];
    for (const result of answers) {
      const bridge = createBridge(() => fakePython(() => ({ id: 1, ok: true, result })).pycmd);
      await expect(bridge.request("ping", {})).rejects.toMatchObject({ code: "badReply" });
    }
    // a command protocol.json names no reply for takes whatever comes
    const free = createBridge(() => fakePython(() => ({ id: 1, ok: true, result: null })).pycmd);
    await expect(free.request("openSettings", {})).resolves.toBeNull();
  });

  it("refuses a settings hello whose session does not fit, instead of reading it by hand", async () => {
    const hello = {
      version: "0.1.0",
      defaults: { server: "https://x/", settings: { autoSync: 1 } },
      problems: [3, "x"],
      session: { signedIn: false, settings: { autoSync: 1 } },
      busy: false,
      preferencesOpen: false,
      missing: [],
    };
    const bridge = createBridge(() => fakePython(() => ({ id: 1, ok: true, result: hello })).pycmd);
    await expect(bridge.request("hello", { page: "settings" })).rejects.toMatchObject({ code: "badReply" });
  });

  it("delivers valid events and drops malformed ones with a message", () => {
    const problems: string[] = [];
    const bridge = createBridge(
      () => undefined,
      (p) => problems.push(p),
    );
    const listener = vi.fn();
    bridge.onEvent(listener);
    bridge.receive({ event: "wakeup", data: { timer: "retry" } });
    bridge.receive({ event: "wakeup", data: { timer: "whenever" } });
    bridge.receive("garbage");
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ event: "wakeup", data: { timer: "retry" } });
    expect(problems).toHaveLength(2);
  });
});
