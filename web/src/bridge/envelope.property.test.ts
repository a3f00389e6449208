// Fuzzing the page's side of the bridge envelope (≥ 1,000 inputs each): whatever Python or
// anything else pushes in, the page never throws, and only messages that fit protocol.json
// reach a listener or a caller.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import definition from "../../../addon/protocol.json";
import { parseRequest, PREFIX } from "../protocol/protocol";
import { BridgeError, createBridge } from "./bridge";

const RUNS = { numRuns: 1000 };
const enums = definition.enums as Record<string, string>;

/** What each kind in protocol.json means, written out apart from the code under test. */
function matches(rawKind: string, value: unknown): boolean {
  const kind = rawKind.replace(/\?$/, "");
  if (kind.startsWith("enum:"))
    return typeof value === "string" && (enums[kind.slice(5)] ?? "").split("|").includes(value);
  if (kind.startsWith("shape:")) {
    const fields = shapes[kind.slice(6)] ?? {};
    return (
      typeof value === "object" &&
      value !== null &&
      !Array.isArray(value) &&
      Object.entries(value).every(
        ([k, v]) => Object.hasOwn(fields, k) && (v === null || v === undefined || matches(fields[k]!, v)),
      )
    );
  }
  if (kind.startsWith("array:")) return Array.isArray(value) && value.every((v) => matches(kind.slice(6), v));
  if (kind === "number") return typeof value === "number" && Number.isFinite(value);
  if (kind === "integer") return Number.isSafeInteger(value) || (typeof value === "number" && Number.isInteger(value));
  if (kind === "string") return typeof value === "string";
  if (kind === "boolean") return typeof value === "boolean";
  if (kind === "object") return typeof value === "object" && value !== null && !Array.isArray(value);
  if (kind === "array") return Array.isArray(value);
  return kind === "any";
}

function fitsIndependently(spec: Record<string, string> | string, data: Record<string, unknown>): boolean {
  const fields = fieldsOf(spec);
  return Object.entries(data).every(
    ([k, v]) => Object.hasOwn(fields, k) && (v === null || v === undefined || matches(fields[k]!, v)),
  );
}
const shapes = definition.shapes as Record<string, Record<string, string>>;
const fieldsOf = (spec: Record<string, string> | string) =>
  typeof spec === "string" ? (shapes[spec.replace(/^shape:/, "")] ?? {}) : spec;
const events = definition.events as Record<string, Record<string, string> | string>;
const eventNames = Object.keys(events);
const fieldNames = [...new Set(Object.values(events).flatMap((spec) => Object.keys(fieldsOf(spec))))];
const anyValue = fc.jsonValue().chain((v) => fc.constantFrom(v, NaN, Infinity, undefined, [v], { v }));
const eventLike = fc.record(
  {
    event: fc.oneof(fc.constantFrom(...eventNames), anyValue),
    data: fc.oneof(fc.dictionary(fc.constantFrom(...fieldNames), anyValue, { maxKeys: 6 }), anyValue),
  },
  { requiredKeys: [] },
);

describe("the bridge envelope, page side", () => {
  it("an event of any shape never throws, and a listener only ever sees events that fit the definition", () => {
    fc.assert(
      fc.property(fc.oneof(eventLike, anyValue), (message) => {
        const seen: Array<{ event: string; data: Record<string, unknown> }> = [];
        const problems: string[] = [];
        const bridge = createBridge(
          () => undefined,
          (p) => problems.push(p),
        );
        bridge.onEvent((e) => seen.push(e));
        expect(() => bridge.receive(message)).not.toThrow();
        expect(seen.length + problems.length).toBe(1);
        for (const e of seen) expect(fitsIndependently(events[e.event]!, e.data)).toBe(true);
      }),
      RUNS,
    );
  });

  it("a reply of any shape settles the request with its result or a BridgeError, never a TypeError", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyValue,
          fc.record(
            { id: anyValue, ok: fc.oneof(fc.boolean(), anyValue), result: anyValue, error: anyValue },
            { requiredKeys: [] },
          ),
        ),
        async (reply) => {
          const bridge = createBridge(() => (_text, callback) => queueMicrotask(() => callback(reply)));
          const settled = await bridge.request("ping", {}).then(
            (result) => ({ ok: true as const, result }),
            (err: unknown) => ({ ok: false as const, err }),
          );
          if (settled.ok) {
            expect((reply as { ok?: unknown }).ok).toBe(true);
            // only a result that fits protocol.json reaches the caller
            expect(fitsIndependently(definition.replies.ping, settled.result as Record<string, unknown>)).toBe(true);
            expect(Object.keys(settled.result).sort()).toEqual(["at", "pong"]);
          } else {
            expect(settled.err).toBeInstanceOf(BridgeError);
            expect(typeof (settled.err as BridgeError).code).toBe("string");
          }
        },
      ),
      RUNS,
    );
  });

  it("a request is judged as Python judges it: anything accepted has the command's fields and types", () => {
    const commands = definition.commands as Record<string, Record<string, string> | string>;
    const argNames = [...new Set(Object.values(commands).flatMap((spec) => Object.keys(fieldsOf(spec))))];
    const envelope = fc.record(
      {
        id: fc.oneof(fc.integer({ min: -3, max: 2 ** 40 }), anyValue),
        command: fc.oneof(fc.constantFrom(...Object.keys(commands)), anyValue),
        args: fc.oneof(fc.dictionary(fc.constantFrom(...argNames), anyValue, { maxKeys: 5 }), anyValue),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          envelope.map((e) => PREFIX + JSON.stringify(e)),
        ),
        (text) => {
          const parsed = parseRequest(text);
          if ("error" in parsed) return;
          expect(fitsIndependently(commands[parsed.command]!, parsed.args)).toBe(true);
          expect(Number.isInteger(parsed.id) && parsed.id >= 0).toBe(true);
        },
      ),
      RUNS,
    );
  });
});
