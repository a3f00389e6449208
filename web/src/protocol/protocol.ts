// The bridge protocol, read from the one definition Python also uses.
import definition from "../../../addon/protocol.json";
import type { CommandName, EventMessage } from "./generated";

export const PREFIX: string = definition.prefix;
/** The same limit Python applies (protocol.py reads it from protocol.json too). */
export const MAX_MESSAGE_CHARS: number = definition.limits.messageChars;

type Spec = Record<string, string>;
const commands: Record<string, Spec | string> = definition.commands;
const events: Record<string, Spec | string> = definition.events;
const replies: Record<string, Spec | string> = definition.replies;
const shapes: Record<string, Spec> = definition.shapes;
const enums: Record<string, string> = definition.enums;

/** A message's fields: written out, or named as one of the shapes. */
function resolve(spec: Spec | string): Spec {
  if (typeof spec !== "string") return spec;
  const shape = shapes[spec.replace(/^shape:/, "")];
  if (!shape) throw new Error(`protocol.json names a shape it does not define: ${spec}`);
  return shape;
}

export type { CommandName, EventName } from "./generated";

export interface Request {
  id: number;
  command: CommandName;
  args: Record<string, unknown>;
}
export type Reply =
  | { id: number | null; ok: true; result: unknown }
  | { id: number | null; ok: false; error: { code: string; message: string } };
/** An event from Python, typed by its name; `seq` and `at` (Python's journal number and wall-clock ms) on the orchestrator's. */
export type BridgeEvent = EventMessage;

function checkValue(kind: string, value: unknown): boolean {
  if (kind.startsWith("enum:")) {
    const allowed = (enums[kind.slice(5)] ?? "").split("|");
    return typeof value === "string" && allowed.includes(value);
  }
  if (kind.startsWith("shape:")) return checkFields(kind, value, kind) === null;
  if (kind.startsWith("array:")) return Array.isArray(value) && value.every((v) => checkValue(kind.slice(6), v));
  switch (kind) {
    case "string":
      return typeof value === "string";
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
    case "array":
      return Array.isArray(value);
    default:
      return kind === "any";
  }
}

/** Returns null when `data` fits `spec`, else a message naming the first problem. */
export function checkFields(spec: Spec | string, data: unknown, what: string): string | null {
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return `${what}: expected an object`;
  }
  const fields = resolve(spec);
  const record = data as Record<string, unknown>;
  for (const [name, rawKind] of Object.entries(fields)) {
    const optional = rawKind.endsWith("?");
    const kind = rawKind.replace(/\?$/, "");
    const value = record[name];
    if (value === undefined || value === null) {
      if (optional) continue;
      return `${what}: missing ${name}`;
    }
    if (!checkValue(kind, value)) return `${what}: ${name} must be ${kind}`;
  }
  const extra = Object.keys(record).filter((k) => !Object.hasOwn(fields, k));
  if (extra.length > 0) return `${what}: unknown field ${extra.sort()[0]}`;
  return null;
}

export function encodeRequest(id: number, command: CommandName, args: Record<string, unknown>): string {
  const spec = commands[command];
  if (!spec) throw new Error(`unknown command ${command}`);
  const problem = checkFields(spec, args, command);
  if (problem) throw new Error(problem);
  return PREFIX + JSON.stringify({ id, command, args });
}

/** Validates a request exactly as Python does; used by tests to prove both sides agree. */
export function parseRequest(text: string): Request | { error: string } {
  if (!text.startsWith(PREFIX)) return { error: "notOurs" };
  if (text.length > MAX_MESSAGE_CHARS) return { error: "tooLarge" };
  let data: unknown;
  try {
    data = JSON.parse(text.slice(PREFIX.length));
  } catch {
    return { error: "badJson" };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) return { error: "badEnvelope" };
  const record = data as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== "number" || !Number.isInteger(id) || id < 0) return { error: "badEnvelope" };
  const command = record.command;
  if (typeof command !== "string" || !Object.hasOwn(commands, command)) return { error: "unknownCommand" };
  // absent means no arguments; null is not an object, as Python says too
  const args = "args" in record ? record.args : {};
  if (checkFields(commands[command]!, args, command)) return { error: "badArgs" };
  if (!wellFormed(data)) return { error: "badText" };
  return { id, command: command as CommandName, args: args as Record<string, unknown> };
}

/** False when any string in `value` (keys too) holds a lone surrogate, which UTF-8 cannot hold; as Python checks it. */
export function wellFormed(value: unknown): boolean {
  const todo = [value];
  while (todo.length > 0) {
    const item = todo.pop();
    if (typeof item === "string") {
      // with the u flag a valid pair is one code point; only a lone half is Surrogate
      if (/\p{Cs}/u.test(item)) return false;
    } else if (Array.isArray(item)) {
      todo.push(...(item as unknown[]));
    } else if (typeof item === "object" && item !== null) {
      for (const [key, child] of Object.entries(item)) todo.push(key, child);
    }
  }
  return true;
}

/** Validates an event from Python; a malformed one is dropped with a message, never obeyed. */
export function parseEvent(message: unknown): BridgeEvent | { error: string } {
  if (typeof message !== "object" || message === null) return { error: "event must be an object" };
  const { event, data, seq, at } = message as { event?: unknown; data?: unknown; seq?: unknown; at?: unknown };
  // named without String(): an object may not convert to text at all
  const name = typeof event === "string" ? event.slice(0, 40) : typeof event;
  if (typeof event !== "string" || !Object.hasOwn(events, event)) return { error: `unknown event ${name}` };
  const problem = checkFields(events[event]!, data, event);
  if (problem) return { error: problem };
  if (seq !== undefined && !(Number.isInteger(seq) && (seq as number) > 0)) return { error: `${event}: bad seq` };
  if (at !== undefined && !(typeof at === "number" && Number.isFinite(at))) return { error: `${event}: bad at` };
  // checked against the definition just above: the name and the data belong together
  const parsed = { event, data } as BridgeEvent;
  if (seq !== undefined) parsed.seq = seq as number;
  if (at !== undefined) parsed.at = at as number;
  return parsed;
}

/** Null when a reply's result fits protocol.json (or the command defines no reply), else the problem. */
export function replyProblem(command: string, result: unknown): string | null {
  const spec = Object.hasOwn(replies, command) ? replies[command] : undefined;
  return spec === undefined ? null : checkFields(spec, result, `${command} reply`);
}
