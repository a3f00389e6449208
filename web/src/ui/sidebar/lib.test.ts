import { describe, expect, it } from "vitest";
import { HISTORY_LIMIT } from "../../core/types";
import type { HistoryEntry, Status } from "../../core/types";
import {
  clockTime,
  duration,
  historyAsText,
  historyRows,
  lastView,
  newestFirst,
  nextView,
  nowView,
  problemViews,
  relativeTime,
  timestamp,
  inStepView,
  topBarView,
} from "./lib";

// local times, so the strings do not depend on the machine's time zone
const local = (h: number, m: number, s = 0, day = 14) => new Date(2025, 2, day, h, m, s).getTime();
const NOW = local(10, 30);
const SEC = 1000;
const MIN = 60 * SEC;

function status(over: Partial<Status> = {}): Status {
  return {
    signedIn: true,
    running: null,
    pending: [],
    paused: false,
    online: true,
    metered: false,
    closing: false,
    localChanges: false,
    keepsInStep: true,
    ...over,
  };
}

describe("time", () => {
  it("relativeTime: past and ahead", () => {
    const cases: [number, string][] = [
      [0, "just now"],
      [59 * SEC, "just now"],
      [2 * MIN + 30 * SEC, "2 min ago"],
      [59 * MIN, "59 min ago"],
      [3 * 60 * MIN + 10 * MIN, "3 h ago"],
      [24 * 60 * MIN, "1 day ago"],
      [5 * 24 * 60 * MIN, "5 days ago"],
      [-10 * SEC, "in less than a minute"],
      [-(13 * MIN + 5 * SEC), "in 14 min"],
      [-15 * MIN, "in 15 min"],
      [-(90 * MIN), "in 2 h"],
    ];
    for (const [ago, said] of cases) expect(relativeTime(NOW - ago, NOW), String(ago)).toBe(said);
  });

  it("clockTime: the time today, the date on another day", () => {
    expect(clockTime(local(10, 42), NOW)).toBe("10:42");
    expect(clockTime(local(9, 5), NOW)).toBe("09:05");
    expect(clockTime(local(23, 59, 0, 13), NOW)).toBe("2025-03-13 23:59");
    expect(timestamp(local(8, 7, 6))).toBe("2025-03-14 08:07:06");
  });

  it("duration", () => {
    const cases: [number, string][] = [
      [0, "0 s"],
      [-5, "0 s"],
      [Number.NaN, "0 s"],
      [420, "0.4 s"],
      [1234, "1.2 s"],
      [12_400, "12 s"],
      [2 * MIN + 5 * SEC, "2 min 5 s"],
      [3 * MIN, "3 min"],
      [59 * MIN + 59.6 * SEC, "60 min"],
      [63 * MIN, "1 h 3 min"],
      [2 * 60 * MIN, "2 h"],
    ];
    for (const [ms, said] of cases) expect(duration(ms), String(ms)).toBe(said);
  });
});

describe("nowView", () => {
  it("idle", () => {
    expect(nowView(status(), NOW)).toEqual({ headline: "Nothing is syncing.", canSkipWait: false });
  });

  it("collection running: stage, trigger, start, and what waits behind it", () => {
    const running = {
      kind: "collection" as const,
      trigger: "open" as const,
      startedAt: NOW - 2 * MIN,
      stage: "Syncing",
    };
    expect(nowView(status({ running, pending: ["sidebar", "periodic"] }), NOW)).toEqual({
      headline: "Syncing the collection…",
      detail: "Syncing",
      started: "Profile opened · started 2 min ago",
      queued: "Then: Sync now, Media timer",
      canSkipWait: false,
    });
  });

  it("media running shows Anki's progress text", () => {
    const running = {
      kind: "media" as const,
      trigger: "periodic" as const,
      startedAt: NOW,
      progress: "Added: 3↓ 1↑, Removed: 0↓ 0↑, Checked: 120",
    };
    expect(nowView(status({ running }), NOW)).toMatchObject({
      headline: "Syncing audio and images…",
      detail: "Added: 3↓ 1↑, Removed: 0↓ 0↑, Checked: 120",
      started: "Media timer · started just now",
    });
  });

  it("a sync held for the user's Upload or Download choice says so in the sidebar's words", () => {
    const running = { kind: "collection" as const, trigger: "button" as const, startedAt: NOW, waitingForChoice: true };
    expect(nowView(status({ running }), NOW)).toMatchObject({ detail: "Waiting for Upload or Download" });
  });

  it("closing: the wait for media can be skipped, the close sync cannot", () => {
    const media = { kind: "media" as const, trigger: "close" as const, startedAt: NOW };
    expect(nowView(status({ closing: true, running: media }), NOW)).toMatchObject({
      closing: "Anki closes when audio and images finish syncing.",
      canSkipWait: true,
    });
    const collection = { kind: "collection" as const, trigger: "close" as const, startedAt: NOW };
    expect(nowView(status({ closing: true, running: collection }), NOW)).toMatchObject({
      closing: "Anki closes when this sync finishes.",
      canSkipWait: false,
    });
    expect(nowView(status({ closing: true }), NOW)).toMatchObject({ closing: "Anki is closing.", canSkipWait: false });
  });
});

describe("lastView", () => {
  it("never synced", () => {
    expect(lastView(undefined, NOW)).toEqual({ result: "Not yet", tone: "neutral" });
  });

  it("ok, with a relative time and the exact time", () => {
    expect(lastView({ at: NOW - 2 * MIN, outcome: "ok", message: "ignored" }, NOW)).toEqual({
      result: "Synced",
      tone: "ok",
      when: "2 min ago",
      at: "2025-03-14 10:28:00",
    });
  });

  it("failed, with Anki's message naming Flipnem", () => {
    expect(lastView({ at: NOW - 65 * MIN, outcome: "serverError", message: "AnkiWeb is down" }, NOW)).toEqual({
      result: "Flipnem reported an error",
      tone: "bad",
      when: "1 h ago",
      at: "2025-03-14 09:25:00",
      message: "Flipnem is down",
    });
  });

  it("a time a moment ahead of the clock reads as just now", () => {
    expect(lastView({ at: NOW + 500, outcome: "ok" }, NOW).when).toBe("just now");
  });
});

describe("nextView", () => {
  it("the periodic media sync's time, and a retry", () => {
    expect(nextView(status({ nextPeriodicMediaAt: local(10, 45), nextRetryAt: local(10, 31) }), NOW)).toEqual({
      media: "Media sync at 10:45 (in 15 min).",
      retry: "Collection sync retry at 10:31 (in 1 min).",
    });
  });

  it("why no periodic media sync is coming", () => {
    expect(nextView(status({ nextPeriodicMediaReason: "off" }), NOW)).toEqual({
      media: "Periodic media sync is off (Tools > Flipnem Sync…).",
    });
  });

  it("neither a time nor a reason", () => {
    expect(nextView(status(), NOW).media).toBe("Periodic media sync: not scheduled.");
  });
});

describe("problemViews", () => {
  it("the sync problem first, with Anki's detail, then the host's warnings", () => {
    const st = status({
      problem: { kind: "networkError", message: "AnkiWeb: connection refused", retryAt: local(10, 42) },
    });
    expect(problemViews(st, ["config.json: periodicMediaMinutes must be a number"], NOW)).toEqual([
      {
        key: "sync-networkError",
        kind: "networkError",
        text: "Could not reach Flipnem. Check your internet connection.",
        detail: "Flipnem: connection refused",
        willDo: "Retrying at 10:42.",
        youCan: "Press Sync now to try again now.",
        signIn: false,
      },
      {
        key: "config-0",
        kind: "config",
        text: "config.json: periodicMediaMinutes must be a number",
        signIn: false,
      },
    ]);
  });

  it("none", () => {
    expect(problemViews(status(), [], NOW)).toEqual([]);
  });

  it("media's retry comes with the next periodic media sync", () => {
    const st = status({ problem: { kind: "mediaFailed" }, nextPeriodicMediaAt: local(10, 45) });
    expect(problemViews(st, [], NOW)[0]?.willDo).toBe("Trying again at 10:45, with the next media sync.");
  });
});

const HISTORY: HistoryEntry[] = [
  {
    kind: "collection",
    trigger: "open",
    startedAt: local(9, 0),
    durationMs: 1234,
    outcome: "ok",
    counts: "Added/modified: 2↑ 0↓ · Removed: 0↑ 0↓",
  },
  {
    kind: "media",
    trigger: "open",
    startedAt: local(9, 0, 2),
    durationMs: 4000,
    outcome: "ok",
    counts: "Checked: 2 · Added: 1↑ 0↓ · Removed: 0↑ 0↓",
  },
  {
    kind: "collection",
    trigger: "sidebar",
    startedAt: local(10, 0),
    durationMs: 30_000,
    outcome: "networkError",
    message: "AnkiWeb unreachable",
    serverMessage: "Maintenance tonight",
  },
  {
    kind: "media",
    trigger: "periodic",
    startedAt: local(10, 15),
    durationMs: 0,
    outcome: "skipped",
    skippedReason: "paused",
  },
];

describe("history", () => {
  it("says a sync at a safe point that the user's return stopped gave way to them; any other stop is a stop", () => {
    const stopped = (trigger: HistoryEntry["trigger"]): HistoryEntry => ({
      kind: "collection",
      trigger,
      outcome: "aborted",
      startedAt: local(10, 0),
      durationMs: 2 * SEC,
    });
    expect(historyRows([stopped("background")], NOW)[0]!.result).toBe(
      "Gave way to you after 2 s: it goes again at the next pause",
    );
    expect(historyRows([stopped("retry")], NOW)[0]!.result).toMatch(/^Gave way to you/);
    expect(historyRows([stopped("close")], NOW)[0]!.result).toBe("Stopped after 2 s");
  });

  it("rows: newest first, in words", () => {
    expect(historyRows(HISTORY, NOW)).toEqual([
      {
        key: `${local(10, 15)}-media-0`,
        when: "10:15",
        at: "2025-03-14 10:15:00 (15 min ago)",
        what: "Media · Media timer",
        result: "Skipped: automatic sync is paused",
        tone: "neutral",
      },
      {
        key: `${local(10, 0)}-collection-0`,
        when: "10:00",
        at: "2025-03-14 10:00:00 (30 min ago)",
        what: "Collection · Sync now",
        result: "Could not reach Flipnem after 30 s",
        tone: "bad",
        detail: "Flipnem unreachable Message from Flipnem: Maintenance tonight",
      },
      {
        key: `${local(9, 0, 2)}-media-0`,
        when: "09:00",
        at: "2025-03-14 09:00:02 (1 h ago)",
        what: "Media · Profile opened",
        result: "Synced in 4 s",
        tone: "ok",
        counts: "Checked: 2 · Added: 1↑ 0↓ · Removed: 0↑ 0↓",
      },
      {
        key: `${local(9, 0)}-collection-0`,
        when: "09:00",
        at: "2025-03-14 09:00:00 (1 h ago)",
        what: "Collection · Profile opened",
        result: "Synced in 1.2 s",
        tone: "ok",
        counts: "Added/modified: 2↑ 0↓ · Removed: 0↑ 0↓",
      },
    ]);
  });

  it("keeps only the last 200 entries, newest first", () => {
    const many: HistoryEntry[] = Array.from({ length: 250 }, (_, i) => ({
      kind: "media",
      trigger: "periodic",
      startedAt: i,
      durationMs: 0,
      outcome: "ok",
    }));
    const kept = newestFirst(many);
    expect(kept).toHaveLength(HISTORY_LIMIT);
    expect(kept[0]?.startedAt).toBe(249);
    expect(kept.at(-1)?.startedAt).toBe(50);
    expect(historyRows(many, NOW)).toHaveLength(HISTORY_LIMIT);
  });

  it("a new entry leaves every other row's key as it was, so the list keeps its rows", () => {
    const entry = (startedAt: number): HistoryEntry => ({
      kind: "collection",
      trigger: "background",
      startedAt,
      durationMs: 0,
      outcome: "ok",
    });
    // two entries may share a start and a kind: each keeps a key of its own
    const before = [entry(1), entry(2), entry(2), entry(3)];
    const keysBefore = historyRows(before, NOW).map((r) => r.key);
    expect(new Set(keysBefore).size).toBe(4);
    const keysAfter = historyRows([...before, entry(4)], NOW).map((r) => r.key);
    expect(keysAfter.slice(1)).toEqual(keysBefore);
    // past the limit, the rows still shown keep their keys too
    const full = Array.from({ length: HISTORY_LIMIT }, (_, i) => entry(i));
    const shown = historyRows(full, NOW).map((r) => r.key);
    expect(
      historyRows([...full, entry(HISTORY_LIMIT)], NOW)
        .map((r) => r.key)
        .slice(1),
    ).toEqual(shown.slice(0, -1));
  });

  it("as text for support: a header, then one line per sync with the raw codes and messages", () => {
    const text = historyAsText(HISTORY, NOW, "0.1.0");
    const lines = text.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^Flipnem Sync v0\.1\.0 history, newest first, copied 2025-03-14 10:30:00 \(UTC[+-]\d\d:\d\d\)$/,
    );
    expect(lines.slice(1)).toEqual([
      "time | kind | trigger | result | duration | details",
      "2025-03-14 10:15:00 | media | periodic | skipped (paused) | 0 s",
      "2025-03-14 10:00:00 | collection | sidebar | networkError | 30 s | message: AnkiWeb unreachable | server: Maintenance tonight",
      "2025-03-14 09:00:02 | media | open | ok | 4 s | counts: Checked: 2 · Added: 1↑ 0↓ · Removed: 0↑ 0↓",
      "2025-03-14 09:00:00 | collection | open | ok | 1.2 s | counts: Added/modified: 2↑ 0↓ · Removed: 0↑ 0↓",
    ]);
    expect(text.endsWith("\n")).toBe(true);
  });

  it("as text when nothing happened yet", () => {
    const lines = historyAsText([], NOW).trimEnd().split("\n");
    expect(lines[0]).toMatch(/^Flipnem Sync history, newest first/);
    expect(lines.at(-1)).toBe("(no syncs recorded)");
  });
});

describe("in step, and the top bar", () => {
  it("says what waits either way and why, when Flipnem was last asked, and until when a pause runs", () => {
    const view = inStepView(
      status({
        localChanges: true,
        waitingReason: "reviewing",
        lastCheckAt: NOW - 2 * MIN,
        paused: true,
        pausedUntil: local(11, 30),
      }),
      NOW,
    );
    expect(view.lines).toEqual([
      "Changes waiting to sync: they go at the next pause.",
      "They wait while you review: never while a card is shown.",
      "Checked Flipnem for changes 2 min ago.",
    ]);
    expect(view.paused).toBe("Automatic sync is paused until 11:30.");
    expect(inStepView(status({ localChanges: true, keepsInStep: false }), NOW).lines).toEqual([
      "Changes waiting to sync: they go when Anki closes, or with Sync now.",
    ]);
    expect(inStepView(status({ paused: true }), NOW).paused).toBe("Automatic sync is paused until Anki restarts.");
    expect(inStepView(status({ notice: "backgroundOn" }), NOW).notice).toMatch(/in step while Anki is open/);
  });

  it("the top bar: the state at a glance, hidden for a profile the add-on does not sync", () => {
    const ok = { lastCollectionSync: { at: NOW - 2 * MIN, outcome: "ok" }, profile: "User 1" };
    expect(topBarView(status(ok), NOW)).toMatchObject({ text: "Flipnem ✓ 2 min", tone: "ok" });
    expect(topBarView(status({ ...ok, localChanges: true }), NOW).text).toBe("Flipnem ↑");
    expect(topBarView(status({ ...ok, paused: true, pausedUntil: local(11, 30) }), NOW).text).toBe("Flipnem ⏸ 11:30");
    expect(topBarView(status({ ...ok, problem: { kind: "networkError" } }), NOW).tone).toBe("waiting");
    expect(topBarView(status({ ...ok, problem: { kind: "fullSyncRequired" } }), NOW).tone).toBe("problem");
    const running = { kind: "collection" as const, trigger: "background" as const, startedAt: NOW };
    expect(topBarView(status({ ...ok, running }), NOW).text).toBe("Flipnem ⟳");
    expect(topBarView(status({ profile: "User 1", signedIn: false }), NOW).text).toBe("");
    const rejected = { profile: "User 1", signedIn: false, problem: { kind: "authFailed" as const } };
    expect(topBarView(status(rejected), NOW).tone).toBe("problem");
  });
});
