import { describe, expect, it } from "vitest";
import { testCore } from "../../../test/fakes/core";
import { BACKGROUND_DELAY_MS, dropBackground, onBackgroundDue, onLocalChange } from "./background";
import { DEFAULT_SETTINGS } from "./defaults";

const on = { settings: { ...DEFAULT_SETTINGS, autoSync: true, backgroundSync: true } };

describe("background", () => {
  it("a local change (re)starts the countdown when the switch is on", () => {
    const c = testCore(on);
    onLocalChange(c, ["card"]);
    c.t = 1000;
    onLocalChange(c, ["card"]);
    expect(c.s.owed.at.background).toBe(1000 + BACKGROUND_DELAY_MS);
    expect(c.commands()).toHaveLength(2);
    const off = testCore({ settings: { ...DEFAULT_SETTINGS, backgroundSync: false } });
    onLocalChange(off, ["card"]);
    expect(off.commands()).toEqual([]);
  });

  it("once due, it waits for idle and then asks for one sync", () => {
    const c = testCore(on, { idle: false });
    onBackgroundDue(c);
    expect(c.requested).toEqual([]);
    expect(c.s.owed.background).toBe(true);
    c.env.idle = true;
    onBackgroundDue(c);
    expect(c.requested).toEqual(["background"]);
    expect(c.s.owed.background).toBe(false);
  });

  it("dropping it forgets the owed sync and the countdown", () => {
    const c = testCore(on);
    onLocalChange(c, ["card"]);
    c.s.owed.background = true;
    dropBackground(c);
    expect(c.s.owed).toMatchObject({ background: false, at: {} });
  });
});
