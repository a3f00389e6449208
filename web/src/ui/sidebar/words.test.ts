import { describe, expect, it } from "vitest";
import { SKIP_REASONS, TRIGGERS } from "../../core/types";
import type { Problem, ProblemKind } from "../../core/types";
import {
  MORE_PLACE,
  kindWords,
  noPeriodicMediaWords,
  outcomeWords,
  problemWords,
  skipReasonWords,
  triggerWords,
  waitingWords,
} from "./words";

// local times, so the clock strings do not depend on the machine's time zone
const NOW = new Date(2025, 2, 14, 10, 30, 0).getTime();
const AT_10_42 = new Date(2025, 2, 14, 10, 42, 0).getTime();
const ctx = { now: NOW, paused: false, online: true };

const OUTCOMES = [
  "ok",
  "fullSyncRequired",
  "authFailed",
  "networkError",
  "serverError",
  "aborted",
  "failed",
  "skipped",
];
const PROBLEM_KINDS: ProblemKind[] = [
  "authFailed",
  "fullSyncRequired",
  "networkError",
  "serverError",
  "failed",
  "mediaFailed",
];

describe("words", () => {
  it("names every trigger", () => {
    expect(TRIGGERS.map(triggerWords)).toEqual([
      "Profile opened",
      "Profile closing",
      "Media timer",
      "Anki's Sync button",
      "Sync now",
      "Automatic retry",
      "After your changes",
      "Flipnem's changes",
      "Back in Anki",
      "Sign-in",
    ]);
    expect(kindWords("collection")).toBe("Collection");
    expect(kindWords("media")).toBe("Media");
  });

  it("says how each sync ended, and still reads an outcome it does not know", () => {
    expect(OUTCOMES.map(outcomeWords)).toEqual([
      "Synced",
      "Needs a full sync",
      "Sign-in not accepted",
      "Could not reach Flipnem",
      "Flipnem reported an error",
      "Stopped",
      "Failed",
      "Skipped",
    ]);
    expect(outcomeWords("teapot")).toBe("Ended (teapot)");
  });

  it("gives a reason for every skip, per kind where it differs", () => {
    for (const reason of SKIP_REASONS) {
      expect(skipReasonWords(reason, "collection")).toMatch(/^[a-zA-Z].+[^.]$/);
      expect(skipReasonWords(reason, "media")).toMatch(/^[a-zA-Z].+[^.]$/);
    }
    expect(skipReasonWords("off", "collection")).toBe("automatic sync is off in Tools > Flipnem Sync…");
    expect(skipReasonWords("off", "media")).toBe("periodic media sync is off in Tools > Flipnem Sync…");
    expect(skipReasonWords("paused", "media")).toBe("automatic sync is paused");
    expect(skipReasonWords("notIdle", "collection")).toBe("you were reviewing or editing");
  });

  it("says in a sentence why no periodic media sync is coming, for every reason", () => {
    const said = SKIP_REASONS.map(noPeriodicMediaWords);
    for (const sentence of said) expect(sentence).toMatch(/^[A-Z].*\.$/);
    expect(new Set(said).size).toBe(said.length);
    expect(noPeriodicMediaWords("off")).toBe("Periodic media sync is off (Tools > Flipnem Sync…).");
    expect(noPeriodicMediaWords("signedOut")).toBe("No periodic media sync: not signed in to Flipnem.");
    expect(noPeriodicMediaWords("paused")).toBe("No periodic media sync while automatic sync is paused.");
    expect(noPeriodicMediaWords("offline")).toBe("No periodic media sync while this computer is offline.");
  });

  it("never says AnkiWeb, in any words it produces", () => {
    const all = [
      ...TRIGGERS.map(triggerWords),
      ...OUTCOMES.map(outcomeWords),
      ...SKIP_REASONS.flatMap((r) => [skipReasonWords(r, "collection"), skipReasonWords(r, "media")]),
      ...SKIP_REASONS.map(noPeriodicMediaWords),
      ...PROBLEM_KINDS.flatMap((kind) => Object.values(problemWords({ kind }, ctx)).map(String)),
    ];
    for (const text of all) expect(text).not.toMatch(/ankiweb/i);
  });
});

describe("problemWords", () => {
  const words = (problem: Problem, more: Partial<typeof ctx> & { nextPeriodicMediaAt?: number } = {}) =>
    problemWords(problem, { ...ctx, ...more });

  it("auth failed: sign in again, with a Sign in button", () => {
    expect(words({ kind: "authFailed" })).toEqual({
      text: "Flipnem did not accept your sign-in. Sign in again.",
      willDo: "Automatic sync is stopped until you sign in.",
      signIn: true,
    });
  });

  it("full sync required: the user chooses with Sync now", () => {
    expect(words({ kind: "fullSyncRequired" })).toEqual({
      text: "Flipnem and this device changed in ways that cannot be merged. Press Sync now to choose Upload or Download.",
      willDo: "Automatic sync waits until you choose.",
      signIn: false,
    });
  });

  it("network error: says when the retry runs, or what it waits for", () => {
    const problem: Problem = { kind: "networkError", retryAt: AT_10_42 };
    expect(words(problem)).toEqual({
      text: "Could not reach Flipnem. Check your internet connection.",
      willDo: "Retrying at 10:42.",
      youCan: "Press Sync now to try again now.",
      signIn: false,
    });
    expect(words({ kind: "networkError" }, { online: false }).willDo).toBe("Will retry when the network is back.");
    expect(words({ kind: "networkError" }, { paused: true }).willDo).toBe(
      "Automatic sync is paused: no retry until you resume it.",
    );
    expect(words({ kind: "networkError" }).willDo).toBe("Will try again with the next sync.");
  });

  it("a retry on another day carries its date", () => {
    const tomorrow = new Date(2025, 2, 15, 0, 5).getTime();
    expect(words({ kind: "serverError", retryAt: tomorrow }).willDo).toBe("Retrying at 2025-03-15 00:05.");
  });

  it("server error and other failures point to the history for support", () => {
    expect(words({ kind: "serverError", retryAt: AT_10_42 })).toMatchObject({
      text: "Flipnem had a problem with the last sync.",
      willDo: "Retrying at 10:42.",
      youCan: "If this keeps happening, copy the history below and send it to Flipnem support.",
    });
    expect(words({ kind: "failed" })).toMatchObject({
      text: "The last sync with Flipnem did not finish.",
      youCan: "Press Sync now to try again. If it keeps failing, copy the history below for Flipnem support.",
    });
  });

  it("media failed: tries again with the next media sync", () => {
    expect(words({ kind: "mediaFailed" }, { nextPeriodicMediaAt: AT_10_42 })).toEqual({
      text: "Audio and images could not sync with Flipnem.",
      willDo: "Trying again at 10:42, with the next media sync.",
      youCan: "Press Sync now to try again now.",
      signIn: false,
    });
    expect(words({ kind: "mediaFailed" }).willDo).toBe("They will try again with the next sync.");
  });
});

describe("hints name where the option really is", () => {
  it("metered: allowed under More in the add-on's panel; switched off: in the panel", () => {
    expect(MORE_PLACE).toBe("Tools > Flipnem Sync… > More");
    expect(waitingWords("metered")).toContain(`allowed in ${MORE_PLACE}`);
    expect(noPeriodicMediaWords("metered")).toContain(`allowed in ${MORE_PLACE}`);
    expect(waitingWords("typing")).toContain(MORE_PLACE);
    for (const reason of ["off", "mediaOff"] as const) {
      expect(noPeriodicMediaWords(reason)).toContain("Tools > Flipnem Sync…");
      expect(skipReasonWords(reason, "media")).toContain("Tools > Flipnem Sync…");
    }
  });
});
