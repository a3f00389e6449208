// The page's one door to Python: typed requests with ids and replies, events pushed in.
import type { CommandName, Commands, Replies } from "../protocol/generated";
import { encodeRequest, parseEvent, replyProblem, type BridgeEvent } from "../protocol/protocol";

export type Pycmd = (text: string, callback: (reply: unknown) => void) => void;
export type EventListener = (event: BridgeEvent) => void;

export class BridgeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Bridge {
  /** Resolves with a reply that fits protocol.json, or rejects with a BridgeError. */
  request<K extends CommandName>(command: K, args: Commands[K]): Promise<Replies[K]>;
  onEvent(listener: EventListener): () => void;
  /** Entry point for events pushed by Python. */
  receive(message: unknown): void;
}

/**
 * The one check of Python's replies: the result of a reply that fits protocol.json, else a
 * BridgeError with words, never a TypeError later in a caller.
 */
export function replyResult<K extends CommandName>(command: K, raw: unknown): Replies[K] {
  if (typeof raw !== "object" || raw === null) throw new BridgeError("noReply", `${command}: no reply`);
  const reply = raw as { ok?: unknown; result?: unknown; error?: unknown };
  if (reply.ok === true) {
    const problem = replyProblem(command, reply.result);
    if (problem) throw new BridgeError("badReply", problem);
    return reply.result as Replies[K];
  }
  const error = reply.error as { code?: unknown; message?: unknown } | undefined;
  const code = typeof error?.code === "string" ? error.code : "badReply";
  const message = typeof error?.message === "string" ? error.message : `${command}: malformed reply`;
  throw new BridgeError(code, message);
}

/** Looked for at once for this long, then every 20 ms. */
const EAGER_MS = 500;

/**
 * The next look, soon. A hidden page's timers are held to once a second by Chromium, and the
 * sidebar page starts hidden, before a profile opens: a message to itself is not held.
 */
function soon(fn: () => void, eager: boolean): void {
  if (eager && typeof MessageChannel === "function") {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      fn();
    };
    channel.port2.postMessage(null);
  } else {
    setTimeout(fn, 20);
  }
}

/** Anki defines pycmd once its web channel is up, a moment after the page starts. */
function waitForPycmd(get: () => Pycmd | undefined, timeoutMs: number): Promise<Pycmd> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const found = get();
      const waited = Date.now() - started;
      if (found) resolve(found);
      else if (waited > timeoutMs) reject(new BridgeError("noBridge", "not running inside Anki"));
      else soon(poll, waited < EAGER_MS);
    };
    poll();
  });
}

export function createBridge(
  getPycmd: () => Pycmd | undefined,
  onProblem: (text: string) => void = console.warn,
  waitMs = 10_000,
): Bridge {
  let nextId = 1;
  const listeners = new Set<EventListener>();
  return {
    async request<K extends CommandName>(command: K, args: Commands[K]): Promise<Replies[K]> {
      const id = nextId++;
      const text = encodeRequest(id, command, args);
      const pycmd = getPycmd() ?? (await waitForPycmd(getPycmd, waitMs));
      return new Promise<Replies[K]>((resolve, reject) => {
        pycmd(text, (raw) => {
          try {
            resolve(replyResult(command, raw));
          } catch (err) {
            reject(err);
          }
        });
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    receive(message) {
      const parsed = parseEvent(message);
      if ("error" in parsed) {
        onProblem(`Flipnem Sync ignored a malformed event: ${parsed.error}`);
        return;
      }
      for (const listener of listeners) listener(parsed);
    },
  };
}

declare global {
  interface Window {
    pycmd?: Pycmd;
    flipnemReceive?: (message: unknown) => void;
  }
}

/** The bridge of a page running inside Anki (feature-detected). */
export function ankiBridge(): Bridge {
  const bridge = createBridge(() => (typeof window.pycmd === "function" ? window.pycmd : undefined));
  window.flipnemReceive = (message) => bridge.receive(message);
  return bridge;
}
