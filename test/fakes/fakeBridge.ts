// A bridge for tests: records each request (checked against the protocol, as the real
// bridge does), lets the test resolve or reject it (a result is checked as the real bridge
// checks replies), and pushes events through the real parser.
import { tick } from "svelte";
import { BridgeError, replyResult } from "../../web/src/bridge/bridge";
import { DEFAULT_SETTINGS } from "../../web/src/core/defaults";
import type { Bridge, EventListener } from "../../web/src/bridge/bridge";
import { encodeRequest, parseEvent, parseRequest } from "../../web/src/protocol/protocol";
import type { CommandName, Commands, EventName, Replies } from "../../web/src/protocol/generated";

export interface Recorded {
  command: CommandName;
  args: Record<string, unknown>;
  resolve(result: unknown): void;
  reject(code: string, message: string): void;
  settled: boolean;
}

export class FakeBridge implements Bridge {
  readonly requests: Recorded[] = [];
  readonly problems: string[] = [];
  private readonly listeners = new Set<EventListener>();

  request<K extends CommandName>(command: K, args: Commands[K]): Promise<Replies[K]> {
    // through the wire format and back: proves the args fit the protocol and are plain data
    const parsed = parseRequest(encodeRequest(1, command, args));
    if ("error" in parsed) throw new Error(`${command}: ${parsed.error}`);
    return new Promise<Replies[K]>((resolve, reject) => {
      const recorded: Recorded = {
        command,
        args: parsed.args,
        settled: false,
        resolve: (result) => {
          recorded.settled = true;
          try {
            resolve(replyResult(command, { ok: true, result }));
          } catch (err) {
            reject(err);
          }
        },
        reject: (code, message) => {
          recorded.settled = true;
          reject(new BridgeError(code, message));
        },
      };
      this.requests.push(recorded);
    });
  }

  onEvent(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  receive(message: unknown): void {
    const parsed = parseEvent(message);
    if ("error" in parsed) {
      this.problems.push(parsed.error);
      return;
    }
    for (const listener of this.listeners) listener(parsed);
  }

  emit(event: EventName, data: Record<string, unknown>): void {
    this.receive({ event, data });
  }

  sent(command: CommandName): Recorded[] {
    return this.requests.filter((r) => r.command === command);
  }

  /** The oldest unanswered request for `command`; fails the test if there is none. */
  pending(command: CommandName): Recorded {
    const found = this.requests.find((r) => r.command === command && !r.settled);
    if (!found) throw new Error(`no pending ${command} (sent: ${this.requests.map((r) => r.command).join(", ")})`);
    return found;
  }
}

/** The product's defaults (config.json). */
export const SETTINGS = { ...DEFAULT_SETTINGS };

export const SERVER = "https://sync.flipnem.com/";

/** The settings page's hello reply, as protocol.json defines it. */
export function helloReply(overrides: Record<string, unknown> = {}, session: Record<string, unknown> = {}): unknown {
  return {
    version: "0.1.0",
    problems: [],
    session: {
      profile: "User 1",
      signedIn: false,
      settings: SETTINGS,
      ...session,
    },
    defaults: { server: SERVER, settings: SETTINGS },
    keyAccepted: null,
    busy: false,
    preferencesOpen: false,
    missing: [],
    ...overrides,
  };
}

/** Lets pending promise callbacks (and the effects they cause) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await tick();
}
