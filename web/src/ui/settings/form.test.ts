import { describe, expect, it } from "vitest";
import { FALLBACK_SETTINGS, parseHello, parseMinutes, parseSettings, settingsEqual } from "./form";
import { SETTINGS, SERVER, helloReply } from "../../../../test/fakes/fakeBridge";

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

describe("parseSettings", () => {
  it("takes a complete, valid object and nothing more", () => {
    expect(parseSettings({ ...SETTINGS, extra: 1 })).toEqual(SETTINGS);
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
    expect(parseSettings(value)).toBeNull();
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

describe("parseHello", () => {
  it("reads a signed-in session", () => {
    const hello = parseHello(
      helloReply(
        { keyAccepted: true, problems: ["Config: bad"] },
        { signedIn: true, user: "ann", server: "https://x/" },
      ),
    );
    expect(hello).toEqual({
      version: "0.1.0",
      problems: ["Config: bad"],
      session: { account: { signedIn: true, user: "ann", server: "https://x/" }, settings: SETTINGS },
      defaults: { server: SERVER, settings: SETTINGS },
      keyAccepted: true,
      busy: false,
      preferencesOpen: false,
    });
  });

  it("ignores user and server when signed out", () => {
    const hello = parseHello(helloReply({}, { signedIn: false, user: "ann", server: "https://x/" }));
    expect(hello.session?.account).toEqual({ signedIn: false });
  });

  it("has no session when no profile is open", () => {
    expect(parseHello(helloReply({ session: null })).session).toBeNull();
  });

  it("falls back on anything malformed and says so for the profile's settings", () => {
    const hello = parseHello({ session: { signedIn: false, settings: { autoSync: 1 } }, problems: [3, "x"] });
    expect(hello.version).toBe("");
    expect(hello.keyAccepted).toBeNull();
    expect(hello.defaults).toEqual({ server: "", settings: FALLBACK_SETTINGS });
    expect(hello.session?.settings).toEqual(FALLBACK_SETTINGS);
    expect(hello.problems).toEqual([
      "x",
      "Flipnem Sync could not read this profile's settings; the defaults are shown.",
    ]);
    expect(parseHello(null).session).toBeNull();
  });
});
