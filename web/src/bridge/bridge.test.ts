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
    const py = fakePython((text) => ({ id: JSON.parse(text.slice(8)).id, ok: true, result: { pong: true } }));
    const bridge = createBridge(() => py.pycmd);
    await expect(bridge.request("ping")).resolves.toEqual({ pong: true });
    await bridge.request("ping");
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
    await expect(bridge.request("ping")).rejects.toMatchObject({ code: "noReply" });
  });

  it("waits for pycmd to appear, as Anki defines it after the page starts", async () => {
    let pycmd: Pycmd | undefined;
    const bridge = createBridge(() => pycmd);
    const pending = bridge.request("ping");
    setTimeout(() => (pycmd = fakePython(() => ({ id: 1, ok: true, result: 1 })).pycmd), 50);
    await expect(pending).resolves.toBe(1);
  });

  it("gives up with a clear error outside Anki", async () => {
    const bridge = createBridge(() => undefined, undefined, 60);
    await expect(bridge.request("ping")).rejects.toMatchObject({ code: "noBridge" });
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
