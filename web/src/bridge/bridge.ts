// The page's one door to Python: typed requests with ids and replies, events pushed in.
import { encodeRequest, parseEvent, type BridgeEvent, type CommandName, type Reply } from "../protocol/protocol";

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
  request<T = unknown>(command: CommandName, args?: Record<string, unknown>): Promise<T>;
  onEvent(listener: EventListener): () => void;
  /** Entry point for events pushed by Python. */
  receive(message: unknown): void;
}

/** Anki defines pycmd once its web channel is up, a moment after the page starts. */
function waitForPycmd(get: () => Pycmd | undefined, timeoutMs: number): Promise<Pycmd> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const poll = (): void => {
      const found = get();
      if (found) resolve(found);
      else if (Date.now() - started > timeoutMs) reject(new BridgeError("noBridge", "not running inside Anki"));
      else setTimeout(poll, 20);
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
    async request<T>(command: CommandName, args: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      const text = encodeRequest(id, command, args);
      const pycmd = getPycmd() ?? (await waitForPycmd(getPycmd, waitMs));
      return new Promise<T>((resolve, reject) => {
        pycmd(text, (raw) => {
          const reply = raw as Partial<Reply> | null;
          if (!reply || typeof reply !== "object") {
            reject(new BridgeError("noReply", `${command}: no reply`));
          } else if (reply.ok === true) {
            resolve(reply.result as T);
          } else {
            // whatever came back, the caller hears a BridgeError with words, never a TypeError
            const error = (reply as { error?: unknown }).error as { code?: unknown; message?: unknown } | undefined;
            const code = typeof error?.code === "string" ? error.code : "badReply";
            const message = typeof error?.message === "string" ? error.message : `${command}: malformed reply`;
            reject(new BridgeError(code, message));
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
