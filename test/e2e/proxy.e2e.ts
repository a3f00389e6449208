// The fault proxy's own proof: each fault happens as named, against a plain HTTP server.
import { createServer, request, Agent, type IncomingMessage, type Server } from "node:http";
import type { Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./harness";
import { Proxy } from "./proxy";

const BIG = 200_000;

interface Reply {
  status: number;
  bytes: number;
  complete: boolean;
  error?: string;
  socket?: Socket;
}

/** One request through the proxy; resolves with what arrived, even when the connection dropped. */
function call(
  port: number,
  path: string,
  opts: { body?: number; agent?: Agent; timeoutMs?: number } = {},
): Promise<Reply> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: opts.body ? "POST" : "GET",
        agent: opts.agent ?? false,
        // as Anki sends a body: with its length, not chunked
        headers: opts.body ? { "content-length": opts.body } : {},
      },
      (res: IncomingMessage) => {
        // a kept-alive socket goes back to its agent at the end: held here while it is ours
        const socket = res.socket as Socket;
        let bytes = 0;
        res.on("data", (d: Buffer) => (bytes += d.length));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, bytes, complete: res.complete, socket }));
        res.on("error", (e) => resolve({ status: res.statusCode ?? 0, bytes, complete: false, error: String(e) }));
        res.on("aborted", () => resolve({ status: res.statusCode ?? 0, bytes, complete: false, error: "aborted" }));
      },
    );
    req.on("error", (e) => resolve({ status: 0, bytes: 0, complete: false, error: String(e) }));
    req.setTimeout(opts.timeoutMs ?? 10_000, () => {
      req.destroy(new Error("no answer"));
    });
    if (opts.body) req.write(Buffer.alloc(opts.body, 7));
    req.end();
  });
}

describe("fault proxy", () => {
  let upstream: Server;
  let upstreamPort = 0;
  // what the server received of each request body
  const received: number[] = [];
  const proxy = new Proxy(() => upstreamPort, freePort);

  beforeAll(async () => {
    upstream = createServer((req, res) => {
      let got = 0;
      req.on("data", (d: Buffer) => (got += d.length));
      req.on("close", () => received.push(got));
      req.on("end", () => {
        const body = Buffer.alloc(req.url === "/big" ? BIG : 10, 1);
        res.writeHead(200, { "content-length": body.length });
        res.end(body);
      });
    });
    upstreamPort = await freePort();
    await new Promise<void>((r) => upstream.listen(upstreamPort, "127.0.0.1", () => r()));
    await proxy.start();
  });
  afterAll(async () => {
    await proxy.stop();
    await new Promise<void>((r) => upstream.close(() => r()));
  });

  it("forwards a request and its whole answer (the control)", async () => {
    proxy.mode = "forward";
    expect(await call(proxy.port, "/big")).toMatchObject({ status: 200, bytes: BIG, complete: true });
    expect(proxy.paths.at(-1)).toBe("/big");
  });

  it("refuse: new connections are closed, and a kept-alive one is dropped too", async () => {
    proxy.mode = "forward";
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const first = await call(proxy.port, "/small", { agent });
    expect(first).toMatchObject({ status: 200, complete: true });
    const kept = first.socket!;
    expect(kept.destroyed).toBe(false);
    const closed = new Promise<void>((r) => kept.once("close", () => r()));
    const faults = proxy.faults;
    proxy.mode = "refuse";
    await closed;
    const second = await call(proxy.port, "/small", { agent });
    expect(second.status).toBe(0);
    expect(second.error).toMatch(/ECONNRESET|socket hang up|EPIPE/);
    expect(proxy.faults).toBe(faults + 1);
    agent.destroy();
  });

  for (const status of [500, 502, 503, 403] as const) {
    it(`status ${status}: answered at once with that status, nothing forwarded`, async () => {
      proxy.mode = "status";
      proxy.status = status;
      const paths = proxy.paths.length;
      expect(await call(proxy.port, "/sync/start", { body: 100 })).toMatchObject({ status, bytes: 0 });
      expect(proxy.paths.length).toBe(paths);
    });
  }

  it("silent: the connection is accepted and never answered", async () => {
    proxy.mode = "silent";
    const started = Date.now();
    const reply = await call(proxy.port, "/small", { timeoutMs: 1500 });
    expect(reply.error).toContain("no answer");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
  });

  it("trickle: the whole answer arrives, at the rate set", async () => {
    proxy.mode = "forward";
    proxy.bytesPerSecond = 100_000;
    const started = Date.now();
    const reply = await call(proxy.port, "/big");
    proxy.bytesPerSecond = 0;
    expect(reply).toMatchObject({ status: 200, bytes: BIG, complete: true });
    // 200 KB at 100 KB/s: about two seconds, never at full speed
    expect(Date.now() - started).toBeGreaterThanOrEqual(1500);
  });

  it("cut mid-response body: the first bytes arrive, then the connection drops", async () => {
    proxy.mode = "forward";
    proxy.cut = { side: "response", afterBytes: 50_000, path: "/big" };
    const reply = await call(proxy.port, "/big");
    proxy.cut = undefined;
    expect(reply.complete).toBe(false);
    // the headers went whole; the body stopped where the cut was set
    expect(reply.status).toBe(200);
    expect(reply.bytes).toBe(50_000);
  });

  it("cut mid-request body (an upload): the server gets part of it, the client an error", async () => {
    proxy.mode = "forward";
    received.length = 0;
    proxy.cut = { side: "request", afterBytes: 30_000, path: "/up" };
    const reply = await call(proxy.port, "/up", { body: BIG });
    proxy.cut = undefined;
    expect(reply.status).toBe(0);
    expect(reply.error).toBeDefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(received).toHaveLength(1);
    expect(received[0]).toBe(30_000);
  });

  it("a cut at one path leaves other requests whole", async () => {
    proxy.mode = "forward";
    proxy.cut = { side: "response", afterBytes: 10, path: "/elsewhere" };
    expect(await call(proxy.port, "/big")).toMatchObject({ status: 200, bytes: BIG, complete: true });
    proxy.cut = undefined;
  });
});
