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
  readStatus,
  statusCheckMs,
  whyNotSafePoint,
  whyNotStatusCheck,
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
};
const ALL: Trigger[] = ["open", "close", "periodic", "button", "sidebar", "retry", "background", "pull", "signIn"];

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
    for (const [place, quiet, why] of cases) expect(whyNotSafePoint({ place, quiet }), place).toBe(why);
    for (const t of ["background", "pull", "retry"] as Trigger[]) {
      expect(whyNotCollection({ ...open, place: "review" }, t)).toBe("reviewing");
    }
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
    expect(ALL.filter(abortsOnInput)).toEqual(["retry", "background", "pull"]);
  });

  it("with local changes Anki answers from local state: changes waiting here, not Flipnem's", () => {
    expect(readStatus("normal", true)).toBe("local");
    expect(readStatus("normal", false)).toBe("remote");
    expect(readStatus("none", false)).toBe("none");
    expect(readStatus("full", true)).toBe("full");
    expect(readStatus(undefined, false)).toBe("none");
  });

  it("never checks more often than Anki's 5-minute cache, and only when it can ask", () => {
    expect(statusCheckMs({ ...DEFAULT_TUNING, statusCheckMinutes: 1 })).toBe(5 * 60_000);
    expect(statusCheckMs({ ...DEFAULT_TUNING, statusCheckMinutes: 30 })).toBe(30 * 60_000);
    expect(whyNotStatusCheck(open)).toBeUndefined();
    expect(whyNotStatusCheck({ ...open, paused: true })).toBe("paused");
    expect(whyNotStatusCheck({ ...open, online: false })).toBe("offline");
    expect(whyNotStatusCheck({ ...open, signedIn: false })).toBe("signedOut");
  });

  it("just after a wake, failures of automatic syncs are hidden; the user's own and the close are not", () => {
    expect(hidesFailure(10, 20, "background")).toBe(true);
    expect(hidesFailure(10, 20, "retry")).toBe(true);
    expect(hidesFailure(20, 20, "background")).toBe(false);
    expect(hidesFailure(10, 20, "button")).toBe(false);
    expect(hidesFailure(10, 20, "close")).toBe(false);
  });
});
