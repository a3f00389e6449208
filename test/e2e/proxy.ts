// A loopback proxy in front of the sync server that plays the faults users meet: a server
// that is down, answers an error, never answers, trickles bytes, or drops the connection in
// the middle of a request or a response (at a chosen path, after a chosen number of bytes).
import { createServer, connect, type Server, type Socket } from "node:net";

export type ProxyMode = "forward" | "silent" | "refuse" | "status";

/** Drop the connection once this many bytes of a matching request's body (or its response's) have passed. */
export interface Cut {
  side: "request" | "response";
  /** counted from the end of the headers, so a cut always falls inside the body */
  afterBytes: number;
  /** only requests to this path (e.g. "/msync/upload"); any request when absent */
  path?: string;
}

const REQUEST_LINE = /(?:^|\r\n)(?:GET|POST|PUT|HEAD|DELETE|OPTIONS) (\S+) HTTP\/1\.[01]\r\n/g;
const REASONS: Record<number, string> = {
  403: "Forbidden",
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

export class Proxy {
  port = 0;
  delayMs = 0;
  /** Bytes a second each way (0: full speed): a trickling server, whose syncs keep making progress, slowly. */
  bytesPerSecond = 0;
  /** The answer in "status" mode. */
  status: 403 | 500 | 502 | 503 = 502;
  /** Applies while forwarding; cleared by the test. */
  cut?: Cut;
  /** While set, responses to this path announce this size in `anki-original-size` (a server that lies about it). */
  announce?: { path: string; size: number };
  /** How many times a fault acted: connections refused or answered with an error, requests cut. */
  faults = 0;
  /** Paths of the requests that went through, in order (for attribution and for choosing cuts). */
  readonly paths: string[] = [];
  private current: ProxyMode = "forward";
  private srv?: Server;
  private sockets = new Set<Socket>();

  constructor(
    private readonly target: () => number,
    private readonly freePort: () => Promise<number>,
  ) {}

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}/`;
  }
  get mode(): ProxyMode {
    return this.current;
  }
  /** Switching also drops open connections, which the client would otherwise keep reusing. */
  set mode(mode: ProxyMode) {
    this.current = mode;
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
  }

  async start(): Promise<void> {
    this.port = this.port || (await this.freePort());
    const srv = createServer((client) => this.accept(client));
    this.srv = srv;
    await new Promise<void>((r) => srv.listen(this.port, "127.0.0.1", () => r()));
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    const srv = this.srv;
    this.srv = undefined;
    await new Promise<void>((r) => (srv ? srv.close(() => r()) : r()));
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.on("error", () => undefined);
    client.on("close", () => this.sockets.delete(client));
    if (this.current === "refuse") {
      this.faults++;
      return void client.destroy();
    }
    if (this.current === "silent") {
      this.faults++;
      return;
    }
    if (this.current === "status") {
      client.once("data", () => {
        this.faults++;
        const reason = REASONS[this.status] ?? "Error";
        client.end(`HTTP/1.1 ${this.status} ${reason}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n`);
      });
      return;
    }
    const upstream = connect(this.target(), "127.0.0.1");
    this.sockets.add(upstream);
    upstream.on("error", () => client.destroy());
    client.on("close", () => upstream.destroy());
    upstream.on("close", () => client.destroy());
    // the request this connection is on, and per side whether its headers have ended and the body bytes since
    let path = "";
    let state = { request: { inBody: false, count: 0 }, response: { inBody: false, count: 0 } };
    let trickled = false;
    let dropped = false;
    const cutting = (): Cut | undefined => {
      const cut = this.cut;
      return cut && (cut.path === undefined || cut.path === path) ? cut : undefined;
    };
    const relay = (from: Socket, to: Socket, side: "request" | "response"): void => {
      from.on("data", (chunk: Buffer) => {
        if (dropped) return; // data already read before the cut took effect
        let text = chunk.toString("latin1");
        let headersFrom = 0;
        if (side === "request") {
          for (const m of text.matchAll(REQUEST_LINE)) {
            path = m[1]!;
            this.paths.push(path);
            state = { request: { inBody: false, count: 0 }, response: { inBody: false, count: 0 } };
            headersFrom = m.index;
          }
        }
        const st = state[side];
        if (side === "response" && !st.inBody && this.announce?.path === path) {
          const size = this.announce.size;
          text = text.replace(/anki-original-size: *\d+/i, `anki-original-size: ${size}`);
          chunk = Buffer.from(text, "latin1");
        }
        let bodyFrom = 0;
        if (!st.inBody) {
          const end = text.indexOf("\r\n\r\n", headersFrom);
          bodyFrom = end < 0 ? chunk.length : end + 4;
          st.inBody = end >= 0;
        }
        const bodyBytes = chunk.length - bodyFrom;
        const cut = cutting();
        if (cut?.side === side && st.inBody && st.count + bodyBytes > cut.afterBytes) {
          // the headers and the first bytes of the body go, then the connection drops
          this.faults++;
          dropped = true;
          from.pause();
          to.write(chunk.subarray(0, bodyFrom + cut.afterBytes - st.count), () => {
            client.destroy();
            upstream.destroy();
          });
          return;
        }
        st.count += bodyBytes;
        if (this.bytesPerSecond) {
          if (!trickled) {
            trickled = true;
            this.faults++;
          }
          // a tenth of a second's bytes at a time; the sender waits meanwhile
          from.pause();
          void this.trickle(chunk, to).then(() => from.resume());
        } else if (this.delayMs) setTimeout(() => to.write(chunk), this.delayMs);
        else to.write(chunk);
      });
    };
    relay(client, upstream, "request");
    relay(upstream, client, "response");
  }

  private async trickle(chunk: Buffer, to: Socket): Promise<void> {
    for (let at = 0; at < chunk.length && !to.destroyed;) {
      const piece = Math.max(1, Math.floor(this.bytesPerSecond / 10));
      to.write(chunk.subarray(at, at + piece));
      at += piece;
      await sleep(100);
    }
  }
}
