import { describe, expect, it } from "vitest";
import { accountOf, parseMinutes, settingsEqual, settingsInRange } from "./form";
import { SETTINGS } from "../../../../test/fakes/fakeBridge";
import { parseEvent } from "../../protocol/protocol";

describe("parseMinutes", () => {
  it.each([
    ["1", 1],
    ["15", 15],
    ["1440", 1440],
    [" 30 ", 30],
    ["060", 60],
    ["45.0", 45],
  ])("accepts %j as %d", (text, value) => {
    expect(parseMinutes(text)).toEqual({ ok: true, value });
  });

  it.each([
    ["", "Enter the number of minutes, from 1 to 1440."],
    ["   ", "Enter the number of minutes, from 1 to 1440."],
    ["0", "Choose from 1 to 1440 minutes."],
    ["1441", "Choose from 1 to 1440 minutes."],
    ["-5", "Choose from 1 to 1440 minutes."],
    ["2.5", "Use whole minutes from 1 to 1440."],
    [".5", "Use whole minutes from 1 to 1440."],
    ["abc", "Enter a number of minutes from 1 to 1440."],
    ["1e3", "Enter a number of minutes from 1 to 1440."],
    ["0x10", "Enter a number of minutes from 1 to 1440."],
    ["15 min", "Enter a number of minutes from 1 to 1440."],
    ["Infinity", "Enter a number of minutes from 1 to 1440."],
  ])("refuses %j: %s", (text, message) => {
    expect(parseMinutes(text)).toEqual({ ok: false, message });
  });
});

// Settings from Python are checked by the bridge against protocol.json (their shape) and by the
// form (the interval's range): one that fails either is ignored, never half-used.
function refused(settings: unknown): boolean {
  const event = parseEvent({ event: "settingsChanged", data: { settings } });
  return "error" in event || (event.event === "settingsChanged" && !settingsInRange(event.data.settings));
}

describe("settings from Python", () => {
  it("takes a complete, valid object and nothing more", () => {
    expect([refused(SETTINGS), refused({ ...SETTINGS, extra: 1 })]).toEqual([false, true]);
  });

  it.each([
    ["not an object", "yes"],
    ["null", null],
    ["an array", []],
    ["a missing switch", { ...SETTINGS, autoSync: undefined }],
    ["a switch that is not a boolean", { ...SETTINGS, syncMedia: "true" }],
    ["minutes out of range", { ...SETTINGS, periodicMediaMinutes: 0 }],
    ["fractional minutes", { ...SETTINGS, periodicMediaMinutes: 2.5 }],
    ["minutes as text", { ...SETTINGS, periodicMediaMinutes: "15" }],
  ])("refuses %s", (_, value) => {
    expect(refused(value)).toBe(true);
  });
});

describe("settingsEqual", () => {
  it("compares every field", () => {
    expect(settingsEqual(SETTINGS, { ...SETTINGS })).toBe(true);
    for (const key of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
      const changed = { ...SETTINGS, [key]: key === "periodicMediaMinutes" ? 16 : !SETTINGS[key] };
      expect(settingsEqual(SETTINGS, changed)).toBe(false);
    }
  });
});

describe("accountOf", () => {
  it("ignores user and server when signed out", () => {
    expect(accountOf({ signedIn: false, user: "ann", server: "https://x/" })).toEqual({ signedIn: false });
  });

  it("keeps what a signed-in account names, and drops what Python sent as null", () => {
    expect(accountOf({ signedIn: true, user: "ann", server: "https://x/" })).toEqual({
      signedIn: true,
      user: "ann",
      server: "https://x/",
    });
    expect(accountOf({ signedIn: true, user: null, server: null })).toEqual({ signedIn: true });
  });
});
