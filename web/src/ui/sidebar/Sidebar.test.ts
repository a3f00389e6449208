// The sidebar, driven by a fake engine: a store the test pushes states into, and spied actions.
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { tick } from "svelte";
import { writable } from "svelte/store";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { SKIP_REASONS } from "../../core/types";
import type { HistoryEntry, ProblemKind, Status } from "../../core/types";
import type { Engine, EngineView } from "../../engine/engine";
import Sidebar from "../Sidebar.svelte";
import { historyAsText } from "./lib";
import { MISSING_WORDS, noPeriodicMediaWords } from "./words";

// local times, so the strings do not depend on the machine's time zone
const local = (h: number, m: number, s = 0) => new Date(2025, 2, 14, h, m, s).getTime();
const NOW = local(10, 30);
const MIN = 60_000;

const SIGNED_IN: Status = {
  profile: "User 1",
  signedIn: true,
  user: "ada@example.com",
  server: "https://sync.flipnem.example/",
  running: null,
  pending: [],
  paused: false,
  online: true,
  metered: false,
  closing: false,
  localChanges: false,
  keepsInStep: true,
  nextPeriodicMediaAt: local(10, 45),
};

type Change = Partial<Omit<EngineView, "status">> & { status?: Partial<Status> };

function fakeEngine(view: Partial<EngineView>) {
  const store = writable<EngineView>({
    connected: true,
    version: "0.1.0",
    problems: [],
    missing: [],
    status: SIGNED_IN,
    history: [],
    ...view,
  });
  const engine = {
    view: store,
    syncNow: vi.fn<() => void>(),
    setPaused: vi.fn<(paused: boolean) => void>(),
    skipCloseWait: vi.fn<() => void>(),
    openSettings: vi.fn<() => void>(),
    focusAnki: vi.fn<() => void>(),
    showDataFolder: vi.fn<() => void>(),
    pauseFor: vi.fn<(span: "hour" | "tomorrow") => void>(),
    keepInStep: vi.fn<(on: boolean) => void>(),
    dismissNotice: vi.fn<() => void>(),
    showTopBar: vi.fn<(view: { text: string; tip: string; tone: string }) => void>(),
    ready: Promise.resolve(),
  } satisfies Engine;
  /** Push a new state, as the engine does after each event. */
  async function push(change: Change): Promise<void> {
    store.update((v) => ({ ...v, ...change, status: { ...v.status, ...change.status } }));
    await tick();
  }
  return { engine, push };
}

let clockNow = NOW;
const clock = () => clockNow;

function show(change: Change = {}) {
  const { status, ...rest } = change;
  const fake = fakeEngine({ ...rest, status: { ...SIGNED_IN, ...status } });
  render(Sidebar, { props: { engine: fake.engine, clock } });
  return fake;
}

const text = (testid: string) => screen.getByTestId(testid).textContent?.replace(/\s+/g, " ").trim() ?? "";

let consoleErrors: ReturnType<typeof vi.spyOn>[] = [];
beforeEach(() => {
  clockNow = NOW;
  consoleErrors = [vi.spyOn(console, "error"), vi.spyOn(console, "warn")];
});
afterEach(() => {
  // no console errors or warnings from any state
  for (const spy of consoleErrors) expect(spy).not.toHaveBeenCalled();
  vi.restoreAllMocks();
  vi.useRealTimers();
});

describe("sidebar: connection", () => {
  it("connecting: only says so; no actions, no sync state", () => {
    const fake = fakeEngine({ connected: false, version: "", status: { ...SIGNED_IN, signedIn: false } });
    render(Sidebar, { props: { engine: fake.engine, clock } });
    expect(screen.getByTestId("sidebar")).toBeTruthy();
    expect(text("version")).toBe("");
    expect(text("connection")).toContain("Connecting to Anki…");
    for (const id of ["sync-now", "pause", "now", "last-collection", "next", "history", "problems"]) {
      expect(screen.queryByTestId(id), id).toBeNull();
    }
  });

  it("connecting, then the hello answers: the version and the user appear", async () => {
    const fake = fakeEngine({ connected: false, version: "" });
    render(Sidebar, { props: { engine: fake.engine, clock } });
    await fake.push({ connected: true, version: "1.2.3" });
    expect(text("version")).toBe("v1.2.3");
    expect(text("connection")).toContain("ada@example.com");
  });

  it("Show data folder asks Anki to open the folder with the add-on's log", async () => {
    const { engine } = show();
    await fireEvent.click(screen.getByTestId("show-data-folder"));
    expect(engine.showDataFolder).toHaveBeenCalledOnce();
  });

  it("could not reach Anki: the engine's words show as a problem", () => {
    show({ connected: false, problems: ["Could not reach Anki: timeout"] });
    expect(text("problems")).toContain("Could not reach Anki: timeout");
  });

  it("signed out: a Sign in button opens settings, and Sync now is disabled", async () => {
    const { engine } = show({ status: { signedIn: false, user: undefined, server: undefined } });
    expect(text("connection")).toContain("Not signed in to Flipnem.");
    const syncNow = screen.getByTestId<HTMLButtonElement>("sync-now");
    expect(syncNow.disabled).toBe(true);
    await fireEvent.click(syncNow);
    expect(engine.syncNow).not.toHaveBeenCalled();
    await fireEvent.click(within(screen.getByTestId("connection")).getByRole("button", { name: "Sign in" }));
    expect(engine.openSettings).toHaveBeenCalledOnce();
  });

  it("signed in and idle: user, server, version, nothing running, never synced", async () => {
    const { engine } = show();
    expect(text("version")).toBe("v0.1.0");
    expect(text("connection")).toContain("Signed in as ada@example.com");
    expect(text("connection")).toContain("https://sync.flipnem.example/");
    expect(text("now")).toContain("Nothing is syncing.");
    expect(text("last-collection")).toBe("Collection: Not yet");
    expect(text("last-media")).toBe("Media: Not yet");
    expect(screen.queryByTestId("problems")).toBeNull();
    expect(screen.queryByTestId("skip-wait")).toBeNull();
    expect(screen.getByTestId<HTMLButtonElement>("sync-now").disabled).toBe(false);
    expect(screen.getByTestId<HTMLInputElement>("pause").checked).toBe(false);
    await fireEvent.click(screen.getByRole("button", { name: "Settings…" }));
    expect(engine.openSettings).toHaveBeenCalledOnce();
  });
});

describe("sidebar: now", () => {
  it("collection running: the stage follows Anki's progress live", async () => {
    const running = { kind: "collection" as const, trigger: "open" as const, startedAt: NOW };
    const fake = show({ status: { running } });
    expect(text("now")).toContain("Syncing the collection…");
    expect(text("now")).toContain("Profile opened · started just now");
    await fake.push({ status: { running: { ...running, stage: "Checking…" } } });
    expect(text("now-detail")).toBe("Checking…");
    await fake.push({ status: { running: { ...running, stage: "Syncing…" }, pending: ["sidebar"] } });
    expect(text("now-detail")).toBe("Syncing…");
    expect(text("now")).toContain("Then: Sync now");
  });

  it("media running: Anki's checked/added/removed progress", async () => {
    const running = { kind: "media" as const, trigger: "periodic" as const, startedAt: NOW - 2 * MIN };
    const fake = show({ status: { running: { ...running, progress: "Checked: 10" } } });
    expect(text("now")).toContain("Syncing audio and images…");
    expect(text("now-detail")).toBe("Checked: 10");
    expect(text("now")).toContain("Media timer · started 2 min ago");
    await fake.push({ status: { running: { ...running, progress: "Added: 3↓ 1↑, Removed: 0↓ 0↑, Checked: 120" } } });
    expect(text("now-detail")).toBe("Added: 3↓ 1↑, Removed: 0↓ 0↑, Checked: 120");
    await fake.push({ status: { running: null } });
    expect(text("now")).toContain("Nothing is syncing.");
  });

  it("closing with media running: Skip waiting calls the engine; Sync now is disabled", async () => {
    const running = { kind: "media" as const, trigger: "close" as const, startedAt: NOW };
    const { engine } = show({ status: { closing: true, running } });
    expect(text("now")).toContain("Anki closes when audio and images finish syncing.");
    expect(screen.getByTestId<HTMLButtonElement>("sync-now").disabled).toBe(true);
    await fireEvent.click(screen.getByTestId("skip-wait"));
    expect(engine.skipCloseWait).toHaveBeenCalledOnce();
  });

  it("closing while the collection syncs: no Skip waiting", () => {
    const running = { kind: "collection" as const, trigger: "close" as const, startedAt: NOW };
    show({ status: { closing: true, running } });
    expect(text("now")).toContain("Anki closes when this sync finishes.");
    expect(screen.queryByTestId("skip-wait")).toBeNull();
  });
});

describe("sidebar: last", () => {
  it("last syncs ok and failed, with relative times kept current by the clock", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    show({
      status: {
        lastCollectionSync: { at: NOW - 2 * MIN, outcome: "ok" },
        lastMediaSync: { at: NOW - 5 * MIN, outcome: "networkError", message: "AnkiWeb did not answer" },
      },
    });
    expect(text("last-collection")).toBe("Collection: Synced · 2 min ago");
    expect(text("last-media")).toBe("Media: Could not reach Flipnem · 5 min ago Flipnem did not answer");
    expect(screen.getByTestId("last-collection").querySelector("[title]")?.getAttribute("title")).toBe(
      "2025-03-14 10:28:00",
    );
    clockNow = NOW + 3 * MIN;
    vi.advanceTimersByTime(30_000);
    await tick();
    expect(text("last-collection")).toBe("Collection: Synced · 5 min ago");
    expect(text("last-media")).toContain("8 min ago");
  });

  it("a sync that just finished reads just now, whatever the ticking clock last said", async () => {
    const fake = show({ status: { lastCollectionSync: { at: NOW - 10 * MIN, outcome: "ok" } } });
    clockNow = NOW + 20 * MIN;
    await fake.push({ status: { lastCollectionSync: { at: clockNow, outcome: "failed" } } });
    expect(text("last-collection")).toBe("Collection: Failed · just now");
  });
});

describe("sidebar: next", () => {
  it("the next periodic media sync's time, and the next retry", () => {
    show({ status: { nextPeriodicMediaAt: local(10, 45), nextRetryAt: local(10, 31) } });
    expect(text("next")).toContain("Media sync at 10:45 (in 15 min).");
    expect(text("next-retry")).toBe("Collection sync retry at 10:31 (in 1 min).");
  });

  it.each(SKIP_REASONS)("no periodic media sync because: %s", (reason) => {
    show({ status: { nextPeriodicMediaAt: undefined, nextPeriodicMediaReason: reason } });
    expect(text("next-media")).toBe(noPeriodicMediaWords(reason));
    expect(screen.queryByTestId("next-retry")).toBeNull();
  });
});

describe("sidebar: problems", () => {
  const cases: [ProblemKind, string][] = [
    ["authFailed", "Flipnem did not accept your sign-in. Sign in again."],
    [
      "fullSyncRequired",
      "Flipnem and this device changed in ways that cannot be merged. Press Sync now to choose Upload or Download.",
    ],
    ["networkError", "Could not reach Flipnem. Check your internet connection."],
    ["serverError", "Flipnem had a problem with the last sync."],
    ["failed", "The last sync with Flipnem did not finish."],
    ["mediaFailed", "Audio and images could not sync with Flipnem."],
  ];

  it.each(cases)("%s: plain words naming Flipnem, never AnkiWeb", (kind, words) => {
    show({ status: { problem: { kind, message: "AnkiWeb said no" }, nextRetryAt: local(10, 42) } });
    const problems = screen.getByTestId("problems");
    expect(text("problems")).toContain(words);
    expect(text("problems")).toContain("Flipnem said no");
    expect(screen.getByTestId("sidebar").textContent).not.toMatch(/ankiweb/i);
    expect(within(problems).getAllByRole("listitem")).toHaveLength(1);
    // said politely, once: the problem's words in the live region, no alert that interrupts
    expect(within(problems).queryAllByRole("alert")).toEqual([]);
    expect(text("announce")).toContain(words);
  });

  it("network error: what the add-on will do and what the user can do", () => {
    show({ status: { problem: { kind: "networkError", retryAt: local(10, 42) }, nextRetryAt: local(10, 42) } });
    expect(text("problems")).toContain("Retrying at 10:42.");
    expect(text("problems")).toContain("Press Sync now to try again now.");
  });

  it("auth failed: the problem's Sign in button opens settings", async () => {
    const { engine } = show({ status: { signedIn: false, problem: { kind: "authFailed" } } });
    await fireEvent.click(screen.getByTestId("problem-sign-in"));
    expect(engine.openSettings).toHaveBeenCalledOnce();
    expect(screen.getByTestId<HTMLButtonElement>("sync-now").disabled).toBe(true);
  });

  it("host warnings (a bad config) show beside the sync problem", () => {
    show({
      problems: ["config.json: periodicMediaMinutes is not a number; using 15"],
      status: { problem: { kind: "failed" } },
    });
    const alerts = within(screen.getByTestId("problems")).getAllByRole("listitem");
    expect(alerts).toHaveLength(2);
    expect(alerts[1]?.textContent).toContain("config.json: periodicMediaMinutes is not a number; using 15");
  });

  it("a problem appears below Sync now and the pause buttons, so it never moves them from under the pointer", async () => {
    const fake = show();
    await fake.push({ status: { problem: { kind: "networkError" } } });
    const problems = screen.getByTestId("problems");
    for (const id of ["sync-now", "pause", "pause-hour", "pause-tomorrow"]) {
      const follows = screen.getByTestId(id).compareDocumentPosition(problems);
      expect(follows & Node.DOCUMENT_POSITION_FOLLOWING, id).toBeTruthy();
    }
  });

  it("a problem that clears disappears", async () => {
    const fake = show({ status: { problem: { kind: "networkError" } } });
    await fake.push({ status: { problem: undefined } });
    expect(screen.queryByTestId("problems")).toBeNull();
  });
});

describe("sidebar: what this Anki cannot do", () => {
  it("each missing feature is one line saying why; none, no line", async () => {
    const fake = show();
    expect(screen.queryByTestId("missing-metering")).toBeNull();
    await fake.push({ missing: ["metering"] });
    expect(text("missing-metering")).toBe(MISSING_WORDS.metering);
    expect(text("missing-metering")).toContain("cannot tell a metered connection");
  });
});

describe("sidebar: actions", () => {
  it("Sync now calls the engine", async () => {
    const { engine } = show();
    await fireEvent.click(screen.getByTestId("sync-now"));
    expect(engine.syncNow).toHaveBeenCalledOnce();
  });

  it("the pause toggle calls setPaused, both ways", async () => {
    const { engine, push } = show();
    await fireEvent.click(screen.getByTestId("pause"));
    expect(engine.setPaused).toHaveBeenLastCalledWith(true);
    await push({ status: { paused: true } });
    await fireEvent.click(screen.getByTestId("pause"));
    expect(engine.setPaused).toHaveBeenLastCalledWith(false);
  });

  it("paused: the toggle is on and Next says why no media sync comes", () => {
    show({ status: { paused: true, nextPeriodicMediaAt: undefined, nextPeriodicMediaReason: "paused" } });
    expect(screen.getByTestId<HTMLInputElement>("pause").checked).toBe(true);
    expect(text("next")).toContain("No periodic media sync while automatic sync is paused.");
    expect(screen.getByTestId<HTMLButtonElement>("sync-now").disabled).toBe(false);
  });
});

describe("sidebar: history", () => {
  const history: HistoryEntry[] = [
    { kind: "collection", trigger: "open", startedAt: local(9, 0), durationMs: 1234, outcome: "ok" },
    {
      kind: "media",
      trigger: "periodic",
      startedAt: local(9, 15),
      durationMs: 0,
      outcome: "skipped",
      skippedReason: "offline",
    },
    { kind: "collection", trigger: "retry", startedAt: local(10, 0), durationMs: 30_000, outcome: "networkError" },
  ];

  it("lists syncs newest first, in a collapsible list", () => {
    show({ history });
    const details = screen.getByTestId("history");
    expect(details.tagName).toBe("DETAILS");
    expect(details.querySelector("summary")?.textContent).toBe("History (3)");
    const items = within(details)
      .getAllByRole("listitem")
      .map((li) => li.textContent?.replace(/\s+/g, " ").trim());
    expect(items).toEqual([
      "10:00 Collection · Automatic retry Could not reach Flipnem after 30 s",
      "09:15 Media · Media timer Skipped: this computer was offline",
      "09:00 Collection · Profile opened Synced in 1.2 s",
    ]);
  });

  it("no history yet", () => {
    show();
    expect(text("history")).toContain("No syncs yet.");
  });

  it("Copy puts the history as text on the clipboard and says Copied", async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockResolvedValue(undefined);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    show({ history });
    await fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await vi.waitFor(() => expect(text("copy-status")).toBe("Copied"));
    expect(writeText).toHaveBeenCalledWith(historyAsText(history, NOW, "0.1.0"));
    vi.unstubAllGlobals();
  });

  it("Copy falls back to a textarea when the clipboard API refuses", async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>().mockRejectedValue(new Error("denied"));
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    let copied = "";
    const execCommand = vi.fn((command: string) => {
      copied = document.querySelector("textarea")?.value ?? "";
      return command === "copy";
    });
    Object.defineProperty(document, "execCommand", { value: execCommand, configurable: true });
    show({ history });
    await fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await vi.waitFor(() => expect(text("copy-status")).toBe("Copied"));
    expect(execCommand).toHaveBeenCalledWith("copy");
    expect(copied).toBe(historyAsText(history, NOW, "0.1.0"));
    expect(document.querySelector("textarea")).toBeNull();
    vi.unstubAllGlobals();
    Reflect.deleteProperty(document, "execCommand");
  });

  it("Copy says so when nothing could copy", async () => {
    vi.stubGlobal("navigator", { ...navigator, clipboard: undefined });
    Object.defineProperty(document, "execCommand", { value: () => false, configurable: true });
    show({ history });
    await fireEvent.click(screen.getByRole("button", { name: "Copy" }));
    await vi.waitFor(() => expect(text("copy-status")).toBe("Could not copy"));
    vi.unstubAllGlobals();
    Reflect.deleteProperty(document, "execCommand");
  });
});

describe("sidebar: announced to a screen reader", () => {
  it("the state and new problems, politely, in one live region; the clock's ticks change nothing in it", async () => {
    vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
    const fake = show({ connected: true, status: { lastCollectionSync: { at: NOW - 2 * MIN, outcome: "ok" } } });
    const region = screen.getByTestId("announce");
    expect(region.getAttribute("aria-live")).toBe("polite");
    expect(region.textContent).toBe("Flipnem Sync: last sync Synced.");
    const changes: string[] = [];
    new MutationObserver(() => changes.push(region.textContent ?? "")).observe(region, {
      childList: true,
      characterData: true,
      subtree: true,
    });
    clockNow = NOW + 40 * MIN;
    vi.advanceTimersByTime(5 * 30_000);
    await tick();
    expect(changes).toEqual([]);
    const running = { kind: "collection" as const, trigger: "sidebar" as const, startedAt: clockNow };
    await fake.push({ status: { running } });
    expect(region.textContent).toBe("Syncing the collection…");
    await fake.push({ status: { running: null, problem: { kind: "networkError" } } });
    expect(region.textContent).toBe(
      "Flipnem Sync: last sync Synced. Could not reach Flipnem. Check your internet connection.",
    );
  });
});

describe("sidebar: the keyboard", () => {
  it("Escape hands the keys back to Anki; Escape that something inside used does not", async () => {
    const { engine } = show({ connected: true });
    await fireEvent.keyDown(window, { key: "Escape" });
    expect(engine.focusAnki).toHaveBeenCalledOnce();
    const used = new KeyboardEvent("keydown", { key: "Escape", cancelable: true });
    used.preventDefault();
    window.dispatchEvent(used);
    expect(engine.focusAnki).toHaveBeenCalledOnce();
  });
});
