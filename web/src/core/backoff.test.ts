import { describe, expect, it } from "vitest";
import { RETRY_MAX_MS, RETRY_MIN_MS, retryBaseMs, retryDelayMs } from "./backoff";

describe("retry backoff", () => {
  it("starts at 30 s and doubles up to 15 min", () => {
    const bases = [0, 1, 2, 3, 4, 5, 6, 7, 50].map(retryBaseMs);
    expect(bases).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000, 900_000]);
  });

  it("treats nonsense attempts as the first", () => {
    expect(retryBaseMs(-3)).toBe(30_000);
    expect(retryBaseMs(Number.NaN)).toBe(30_000);
    expect(retryBaseMs(Number.POSITIVE_INFINITY)).toBe(30_000);
    expect(retryBaseMs(1e6)).toBe(900_000);
  });

  it("jitters by ±20 %", () => {
    expect(retryDelayMs(0, () => 0)).toBe(24_000);
    expect(retryDelayMs(0, () => 0.5)).toBe(30_000);
    expect(retryDelayMs(0, () => 0.999999)).toBe(36_000);
    expect(retryDelayMs(10, () => 0)).toBe(720_000);
    expect(retryDelayMs(10, () => 0.999999)).toBe(1_080_000);
  });

  it("returns whole milliseconds", () => {
    expect(Number.isInteger(retryDelayMs(2, () => 0.123456789))).toBe(true);
  });

  it("stays in bounds when the random source misbehaves", () => {
    for (const r of [-1, 2, Number.NaN, Number.POSITIVE_INFINITY]) {
      for (const attempt of [0, 3, 20]) {
        const d = retryDelayMs(attempt, () => r);
        expect(d).toBeGreaterThanOrEqual(RETRY_MIN_MS);
        expect(d).toBeLessThanOrEqual(RETRY_MAX_MS);
      }
    }
    expect(retryDelayMs(0, () => Number.NaN)).toBe(30_000);
  });

  it("names its bounds: 24 s and 18 min", () => {
    expect(RETRY_MIN_MS).toBe(24_000);
    expect(RETRY_MAX_MS).toBe(18 * 60_000);
  });
});
