import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cut, ERROR_TEXT_CHARS, fitState, MESSAGE_CHARS, SERVER_MESSAGE_CHARS } from "./limits";
import { restoreState } from "./orchestrator";
import { HISTORY_LIMIT, type HistoryEntry, type PersistedState } from "./types";

const RUNS = { numRuns: 1000 };

function entry(i: number, text: string): HistoryEntry {
  return {
    kind: "collection",
    trigger: "open",
    startedAt: i,
    durationMs: 1,
    outcome: "serverError",
    message: text,
    serverMessage: text,
  };
}

describe("limits on server text", () => {
  it("keeps short text, cuts long text to the limit with an ellipsis, drops control characters", () => {
    expect(cut("Maintenance at 9", 1000)).toBe("Maintenance at 9");
    const long = cut("x".repeat(5000), SERVER_MESSAGE_CHARS);
    expect(long).toHaveLength(SERVER_MESSAGE_CHARS);
    expect(long.endsWith("\u2026")).toBe(true);
    expect(cut("a\u0000b\u001bc\nd\te", 100)).toBe("a b c\nd\te");
  });

  it("never splits a surrogate pair", () => {
    const text = "a" + "😀".repeat(20);
    const cutText = cut(text, 10);
    expect(cutText.length).toBeLessThanOrEqual(10);
    expect(() => encodeURIComponent(cutText)).not.toThrow();
  });

  it("the saved state always fits one message and keeps the newest history (property)", () => {
    const hostile = fc.string({ unit: "binary", maxLength: 3000 });
    fc.assert(
      fc.property(
        fc.array(hostile, { maxLength: HISTORY_LIMIT }),
        fc.integer({ min: 2_000, max: MESSAGE_CHARS }),
        (texts, budget) => {
          const state: PersistedState = { history: texts.map((t, i) => entry(i, t)) };
          const fitted = fitState(state, budget);
          expect(JSON.stringify(fitted).length).toBeLessThanOrEqual(budget);
          // what is kept is the newest, in order
          expect(fitted.history).toEqual(state.history.slice(state.history.length - fitted.history.length));
        },
      ),
      { numRuns: 200 },
    );
  });

  it("two hundred of the longest server messages, each full of escapes, still fit one message", () => {
    const worst = '\u0001"\\'.repeat(4000);
    const restored = restoreState({ history: Array.from({ length: 300 }, (_, i) => entry(i, worst)) });
    expect(restored.history).toHaveLength(HISTORY_LIMIT);
    for (const e of restored.history) {
      expect(e.message!.length).toBeLessThanOrEqual(ERROR_TEXT_CHARS);
      expect(e.serverMessage!.length).toBeLessThanOrEqual(SERVER_MESSAGE_CHARS);
    }
    expect(JSON.stringify(fitState({ history: restored.history })).length).toBeLessThan(MESSAGE_CHARS);
  });

  it("a saved state of any shape restores without throwing, with only well-typed entries within the limits (property)", () => {
    const anyValue = fc.jsonValue().chain((v) => fc.constantFrom(v, NaN, Infinity, [v], { v }));
    const entryLike = fc.record(
      {
        kind: fc.oneof(fc.constantFrom("collection", "media"), anyValue),
        trigger: fc.oneof(fc.constantFrom("open", "close", "periodic", "button"), anyValue),
        startedAt: fc.oneof(fc.double(), anyValue),
        durationMs: fc.oneof(fc.double(), anyValue),
        outcome: fc.oneof(fc.string(), anyValue),
        message: fc.oneof(fc.string({ maxLength: 2000 }), anyValue),
        serverMessage: fc.oneof(fc.string({ maxLength: 2000 }), anyValue),
      },
      { requiredKeys: [] },
    );
    const stateLike = fc.oneof(
      anyValue,
      fc.record(
        { history: fc.oneof(fc.array(fc.oneof(entryLike, anyValue), { maxLength: 30 }), anyValue) },
        { requiredKeys: [] },
      ),
    );
    fc.assert(
      fc.property(stateLike, (raw) => {
        const restored = restoreState(raw);
        expect(restored.history.length).toBeLessThanOrEqual(HISTORY_LIMIT);
        for (const e of restored.history) {
          expect(["collection", "media"]).toContain(e.kind);
          expect(Number.isFinite(e.startedAt) && Number.isFinite(e.durationMs)).toBe(true);
          expect(typeof e.outcome).toBe("string");
          if (e.message !== undefined) expect(e.message.length).toBeLessThanOrEqual(ERROR_TEXT_CHARS);
          if (e.serverMessage !== undefined) expect(e.serverMessage.length).toBeLessThanOrEqual(SERVER_MESSAGE_CHARS);
        }
      }),
      RUNS,
    );
  });
});
