import { describe, expect, it } from "vitest";
import { DEFAULT_SETTINGS, DEFAULT_TUNING } from "./defaults";
import {
  acceptsLocalChange,
  asksForFullSyncChoice,
  mediaAlongside,
  periodicMs,
  refusedRetry,
  shouldRetry,
  wantsPeriodicTimer,
  whyNotChangeAccount,
  whyNotCollection,
  whyNotPeriodicMedia,
  whyNotSaveSettings,
  abortsOnInput,
  hidesFailure,
  checkDelayMs,
  isReturn,
  whyNotSafePoint,
} from "./policy";
import type { Place, Trigger } from "./types";

const open = {
  phase: "open" as const,
  signedIn: true,
  authFailed: false,
  settings: { ...DEFAULT_SETTINGS, autoSync: true, syncMedia: true, periodicMedia: true, backgroundSync: true },
  tuning: { ...DEFAULT_TUNING },
  paused: false,
  online: true,
  metered: false,
  place: "deckBrowser" as Place,
  quiet: true,
  active: true,
};
const ALL: Trigger[] = [
  "open",
  "close",
  "periodic",
  "button",
  "sidebar",
  "retry",
  "background",
  "pull",
  "return",
  "signIn",
];

describe("why not sync the collection: one reason each", () => {
  it("syncs every trigger when nothing stands in the way", () => {
    for (const t of ALL) expect(whyNotCollection(open, t), t).toBeUndefined();
  });

  it("names each reason, in order of importance", () => {
    expect(whyNotCollection({ ...open, phase: "notOpen" }, "button")).toBe("notOpen");
    expect(whyNotCollection({ ...open, phase: "closed" }, "close")).toBe("notOpen");
    expect(whyNotCollection({ ...open, phase: "closing" }, "button")).toBe("closing");
    expect(whyNotCollection({ ...open, phase: "closing" }, "close")).toBeUndefined();
    expect(whyNotCollection({ ...open, signedIn: false }, "button")).toBe("signedOut");
    expect(whyNotCollection({ ...open, signedIn: false, authFailed: true }, "button")).toBe("authFailed");
    const off = { ...open, settings: { ...open.settings, autoSync: false } };
    expect(whyNotCollection(off, "open")).toBe("off");
    expect(whyNotCollection(off, "button")).toBeUndefined();
    expect(whyNotCollection(off, "signIn")).toBeUndefined();
    const full = { ...open, problem: { kind: "fullSyncRequired" as const } };
    expect(whyNotCollection(full, "retry")).toBe("fullSyncRequired");
    expect(whyNotCollection(full, "open")).toBeUndefined();
    const noBackground = { ...open, settings: { ...open.settings, backgroundSync: false } };
    expect(whyNotCollection(noBackground, "background")).toBe("off");
    expect(whyNotCollection(noBackground, "retry")).toBeUndefined();
    expect(whyNotCollection({ ...open, paused: true }, "retry")).toBe("paused");
    expect(whyNotCollection({ ...open, online: false }, "background")).toBe("offline");
    expect(whyNotCollection({ ...open, place: "review" }, "retry")).toBe("reviewing");
  });

  it("never waits for a safe point or the network on open, close or the user's own syncs", () => {
    const busy = { ...open, place: "review" as Place, quiet: false, online: false, metered: true };
    for (const t of ["open", "close", "button", "sidebar", "signIn"] as Trigger[]) {
      expect(whyNotCollection(busy, t), t).toBeUndefined();
    }
  });

  it("a pause holds every automatic sync, open and close included, never the user's own", () => {
    const paused = { ...open, paused: true };
    for (const t of ["open", "close", "retry", "background", "pull"] as Trigger[]) {
      expect(whyNotCollection(paused, t), t).toBe("paused");
    }
    for (const t of ["button", "sidebar", "signIn"] as Trigger[])
      expect(whyNotCollection(paused, t), t).toBeUndefined();
  });
});

describe("periodic media", () => {
  it("names why no periodic media sync comes", () => {
    expect(whyNotPeriodicMedia(open)).toBeUndefined();
    expect(whyNotPeriodicMedia({ ...open, phase: "closing" })).toBe("closing");
    expect(whyNotPeriodicMedia({ ...open, settings: { ...open.settings, syncMedia: false } })).toBe("mediaOff");
    expect(whyNotPeriodicMedia({ ...open, settings: { ...open.settings, periodicMedia: false } })).toBe("off");
    expect(whyNotPeriodicMedia({ ...open, settings: { ...open.settings, periodicMediaMinutes: 0 } })).toBe("off");
    expect(whyNotPeriodicMedia({ ...open, paused: true })).toBe("paused");
    expect(whyNotPeriodicMedia({ ...open, place: "review", quiet: false })).toBeUndefined();
  });

  it("keeps its timer while paused or offline, so each tick records why it skipped", () => {
    expect(wantsPeriodicTimer({ ...open, paused: true })).toBe(true);
    expect(wantsPeriodicTimer({ ...open, online: false })).toBe(true);
    expect(wantsPeriodicTimer({ ...open, signedIn: false })).toBe(false);
    expect(periodicMs({ ...open.settings, periodicMediaMinutes: 15 })).toBe(15 * 60_000);
    expect(periodicMs({ ...open.settings, periodicMediaMinutes: NaN })).toBeUndefined();
  });
});

describe("triggers", () => {
  it("a refused retry waits for idle quietly, for pause and network on the record, and is recorded otherwise", () => {
    expect(refusedRetry("notIdle")).toBe("waitQuietly");
    expect(refusedRetry("paused")).toBe("waitAndRecord");
    expect(refusedRetry("offline")).toBe("waitAndRecord");
    expect(refusedRetry("off")).toBe("record");
    expect(refusedRetry("fullSyncRequired")).toBe("record");
  });

  it("retries automatic syncs only while open, signed in and auto sync on, never a close", () => {
    expect(shouldRetry(open, "open")).toBe(true);
    expect(shouldRetry(open, "button")).toBe(true);
    expect(shouldRetry(open, "close")).toBe(false);
    expect(shouldRetry({ ...open, phase: "closing" }, "retry")).toBe(false);
    expect(shouldRetry({ ...open, settings: { ...open.settings, autoSync: false } }, "button")).toBe(false);
  });

  it("asks for a full sync choice only on the user's own syncs while open", () => {
    expect(asksForFullSyncChoice(open, "button")).toBe(true);
    expect(asksForFullSyncChoice(open, "signIn")).toBe(true);
    expect(asksForFullSyncChoice(open, "open")).toBe(false);
    expect(asksForFullSyncChoice({ phase: "closing" }, "button")).toBe(false);
  });

  it("a local change counts only when a background sync could follow", () => {
    expect(acceptsLocalChange(open)).toBe(true);
    expect(acceptsLocalChange({ ...open, settings: { ...open.settings, backgroundSync: false } })).toBe(false);
    expect(acceptsLocalChange({ ...open, signedIn: false })).toBe(false);
  });

  it("media goes along unless off, or a close whose media wait was skipped", () => {
    expect(mediaAlongside(open.settings, "close", false)).toBe(true);
    expect(mediaAlongside(open.settings, "close", true)).toBe(false);
    expect(mediaAlongside(open.settings, "button", true)).toBe(true);
    expect(mediaAlongside({ ...open.settings, syncMedia: false }, "open", false)).toBe(false);
  });
});

describe("the settings panel's refusals", () => {
  it("no account change during a sync, no save while Preferences is open", () => {
    expect(whyNotChangeAccount(true)).toBe("busy");
    expect(whyNotChangeAccount(false)).toBeUndefined();
    expect(whyNotSaveSettings(true)).toBe("prefsOpen");
    expect(whyNotSaveSettings(false)).toBeUndefined();
  });
});

describe("safe points, metered connections, and what a status check says", () => {
  it("a safe point: the deck list or overview, nothing open, no input for the idle time; each miss named", () => {
    const cases: Array<[Place, boolean, string | undefined]> = [
      ["deckBrowser", true, undefined],
      ["overview", true, undefined],
      ["overview", false, "typing"],
      ["review", true, "reviewing"],
      ["editing", true, "editing"],
      ["dialog", true, "dialog"],
      ["other", true, "notIdle"],
    ];
    for (const [place, quiet, why] of cases) expect(whyNotSafePoint({ place, quiet, active: true }), place).toBe(why);
    for (const t of ["background", "pull", "retry", "return"] as Trigger[]) {
      expect(whyNotCollection({ ...open, place: "review" }, t)).toBe("reviewing");
      expect(whyNotCollection({ ...open, place: "review", active: false }, t)).toBe("reviewing");
    }
  });

  it("a user who went to another application is not typing in Anki; a user coming back needs only the place", () => {
    const typing = { ...open, quiet: false };
    expect(whyNotCollection(typing, "background")).toBe("typing");
    expect(whyNotCollection({ ...typing, active: false }, "background")).toBeUndefined();
    expect(whyNotCollection(typing, "return")).toBeUndefined();
    expect(whyNotCollection({ ...typing, place: "editing" }, "return")).toBe("editing");
    expect(whyNotCollection({ ...typing, place: "dialog", active: false }, "background")).toBe("dialog");
  });

  it("every rule holds for the return: paused, metered, the switch off, signed out", () => {
    expect(whyNotCollection({ ...open, paused: true }, "return")).toBe("paused");
    expect(whyNotCollection({ ...open, metered: true }, "return")).toBe("metered");
    expect(whyNotCollection({ ...open, settings: { ...open.settings, backgroundSync: false } }, "return")).toBe("off");
    expect(whyNotCollection({ ...open, signedIn: false }, "return")).toBe("signedOut");
  });

  it("a metered connection holds what can wait unless allowed; never open, close or Sync now", () => {
    const metered = { ...open, metered: true };
    expect(whyNotCollection(metered, "background")).toBe("metered");
    expect(whyNotCollection(metered, "pull")).toBe("metered");
    expect(whyNotPeriodicMedia(metered)).toBe("metered");
    for (const t of ["open", "close", "button", "sidebar"] as Trigger[])
      expect(whyNotCollection(metered, t)).toBeUndefined();
    const allowed = { ...metered, tuning: { ...DEFAULT_TUNING, allowMetered: true } };
    expect(whyNotCollection(allowed, "background")).toBeUndefined();
    expect(whyNotPeriodicMedia(allowed)).toBeUndefined();
  });

  it("the syncs at safe points stop at the user's input; the user's own never do", () => {
    expect(ALL.filter(abortsOnInput)).toEqual(["retry", "background", "pull", "return"]);
  });

  it("idle checks thin out: 5, 10, 20, then every statusCheckMinutes (30 as shipped), never under 5", () => {
    const minutes = (round: number, statusCheckMinutes = DEFAULT_TUNING.statusCheckMinutes) =>
      checkDelayMs({ ...DEFAULT_TUNING, statusCheckMinutes }, round) / 60_000;
    expect([0, 1, 2, 3, 4, 50].map((r) => minutes(r))).toEqual([5, 10, 20, 30, 30, 30]);
    expect([0, 1, 2].map((r) => minutes(r, 1))).toEqual([5, 5, 5]);
    expect([0, 3, 6].map((r) => minutes(r, 240))).toEqual([5, 40, 240]);
  });

  it("a return: back in Anki after two minutes away, not a minute less", () => {
    expect(isReturn(120_000, true)).toBe(true);
    expect(isReturn(119_999, true)).toBe(false);
    expect(isReturn(3_600_000, false)).toBe(false);
    expect(isReturn(undefined, true)).toBe(false);
  });

  it("just after a wake, failures of automatic syncs are hidden; the user's own and the close are not", () => {
    expect(hidesFailure(10, 20, "background")).toBe(true);
    expect(hidesFailure(10, 20, "retry")).toBe(true);
    expect(hidesFailure(20, 20, "background")).toBe(false);
    expect(hidesFailure(10, 20, "button")).toBe(false);
    expect(hidesFailure(10, 20, "close")).toBe(false);
  });
});
