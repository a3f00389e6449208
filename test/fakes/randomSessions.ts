// Test-only: random sessions as the Python host would live them, for the property tests.
// A driver turns random actions into consistent events for a fake host and checks the
// promises after every batch of commands; `seen` proves the generator reached the hard cases.

import fc from "fast-check";
import { expect } from "vitest";
import { RETRY_MAX_MS, RETRY_MIN_MS } from "../../web/src/core/backoff";
import type { TriggerTable } from "../../web/src/core/triggers";
import type {
  CollectionOutcome,
  Command,
  HistoryEntry,
  MediaOutcome,
  Place,
  OrchestratorEvent,
  Settings,
  TimerName,
  Trigger,
} from "../../web/src/core/types";
import { HISTORY_LIMIT } from "../../web/src/core/types";
import { FakeHost } from "./fakeHost";

export const COLLECTION_OUTCOMES: CollectionOutcome[] = [
  "ok",
  "ok",
  "ok",
  "fullSyncRequired",
  "authFailed",
  "networkError",
  "networkError",
  "serverError",
  "failed",
  "aborted",
];
const MEDIA_OUTCOMES: MediaOutcome[] = ["ok", "ok", "networkError", "serverError", "authFailed", "failed", "skipped"];
const TIMERS: TimerName[] = ["periodicMedia", "retry", "background", "statusCheck", "pauseEnds", "lasting"];

const settingsArb: fc.Arbitrary<Settings> = fc.record({
  autoSync: fc.boolean(),
  syncMedia: fc.boolean(),
  periodicMedia: fc.boolean(),
  periodicMediaMinutes: fc.constantFrom(0, 0.5, 1, 15),
  backgroundSync: fc.boolean(),
});

/** What the user, Anki and the network do; the driver turns it into a consistent event. */
export type Action =
  | { k: "answer"; outcome: CollectionOutcome; media: MediaOutcome; progress: boolean }
  | { k: "tick"; ms: number }
  | { k: "wakeup"; timer: TimerName }
  | { k: "press"; trigger: Trigger }
  | { k: "open"; signedIn: boolean; settings: Settings; historyLength: number }
  | { k: "close" }
  | { k: "skipCloseWait" }
  | { k: "settings"; settings: Settings }
  | { k: "activity"; place: Place; quiet: boolean; active: boolean; awayMs?: number }
  | { k: "pause"; paused: boolean; forMs?: number }
  | { k: "network"; online: boolean; metered: boolean }
  | { k: "wake" }
  /** Another device syncs changes to Flipnem. */
  | { k: "remote" }
  | { k: "account"; signedIn: boolean; user: string }
  | { k: "localChange" }
  /** The page dies: after its last answer, or while it handles the next host event; it stays down
   * for `down` actions (events in flight meanwhile); its first successor may die in its hello too. */
  | { k: "crash"; midEvent: boolean; down: number; helloDies: boolean };

/** An outage: every collection sync fails in a way that is retried. */
export const OUTAGE_OUTCOMES: CollectionOutcome[] = ["networkError", "serverError", "failed"];

/** `presses`: the triggers a user's press may send (a test's made-up trigger among them). */
const actionArb = (
  outcomes: CollectionOutcome[],
  closeWeight: number,
  presses: readonly Trigger[] = ["button", "sidebar"],
): fc.Arbitrary<Action> =>
  fc.oneof(
    {
      weight: 8,
      arbitrary: fc.record({
        k: fc.constant("answer" as const),
        outcome: fc.constantFrom(...outcomes),
        media: fc.constantFrom(...MEDIA_OUTCOMES),
        progress: fc.boolean(),
      }),
    },
    {
      weight: 4,
      arbitrary: fc.record({ k: fc.constant("tick" as const), ms: fc.integer({ min: 0, max: 20 * 60_000 }) }),
    },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("wakeup" as const), timer: fc.constantFrom(...TIMERS) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        k: fc.constant("press" as const),
        trigger: fc.constantFrom(...presses),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        k: fc.constant("open" as const),
        signedIn: fc.boolean(),
        settings: settingsArb,
        historyLength: fc.integer({ min: 0, max: 260 }),
      }),
    },
    { weight: closeWeight, arbitrary: fc.constant({ k: "close" as const }) },
    { weight: 1, arbitrary: fc.constant({ k: "skipCloseWait" as const }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant("settings" as const), settings: settingsArb }) },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant("activity" as const),
        place: fc.constantFrom<Place>("deckBrowser", "overview", "review", "editing", "dialog", "other"),
        quiet: fc.boolean(),
        active: fc.boolean(),
        awayMs: fc.option(fc.constantFrom(1_000, 119_999, 120_000, 3_600_000), { nil: undefined }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        { k: fc.constant("pause" as const), paused: fc.boolean(), forMs: fc.integer({ min: 0, max: 2 * 3_600_000 }) },
        { requiredKeys: ["k", "paused"] },
      ),
    },
    {
      weight: 1,
      arbitrary: fc.record({ k: fc.constant("network" as const), online: fc.boolean(), metered: fc.boolean() }),
    },
    { weight: 1, arbitrary: fc.constant({ k: "wake" as const }) },
    {
      weight: 1,
      arbitrary: fc.constant({ k: "remote" as const }),
    },
    { weight: 2, arbitrary: fc.constant({ k: "localChange" as const }) },
    // the page dies and Python loads it again, whatever is running
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant("crash" as const),
        midEvent: fc.boolean(),
        down: fc.integer({ min: 0, max: 3 }),
        helloDies: fc.boolean(),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constant("account" as const),
        signedIn: fc.boolean(),
        user: fc.constantFrom("ana", "ben"),
      }),
    },
  );

/** Seeded, so a shrunk counterexample replays exactly. */
export function seededRandom(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** Across all runs: proof that the generator reaches the interesting cases. */
export const seen = {
  retryDelays: [] as number[],
  coalesced: 0,
  closes: 0,
  continues: 0,
  historyFull: 0,
  sessions: 0,
  crashes: 0,
  /** presses still queued in a page that crashed: the page started again must run them */
  pressesAcrossCrash: 0,
  /** pages that died while handling an event, and hellos that died too */
  midEventCrashes: 0,
  hellosDied: 0,
};

/** A session as the Python host would live it. */
export class Driver {
  readonly host: FakeHost;
  profile: "none" | "open" | "closing" = "none";
  /** Presses not yet answered, by the time they came: each needs a sync that starts after it, or a named skip. */
  pending: number[] = [];
  /** Actions left until Python loads the crashed page again, and whether that page dies in its hello. */
  private down: number | undefined;
  private helloDies = false;

  constructor(seed: number, triggers?: TriggerTable) {
    this.host = new FakeHost(seededRandom(seed), triggers ? { triggers } : {});
  }

  send(event: OrchestratorEvent): void {
    const commands = this.host.send(event);
    this.check(commands);
  }

  act(a: Action): void {
    const h = this.host;
    if (this.down !== undefined) {
      if (this.down <= 0) this.restart();
      else this.down -= 1;
    }
    switch (a.k) {
      case "answer":
        if (h.running?.kind === "collection") {
          if (a.progress) this.send({ type: "collectionSyncProgress", stage: "syncing" });
          this.check(h.finishCollection(h.running.abortRequested ? "aborted" : a.outcome));
        } else if (h.running?.kind === "media") {
          if (a.progress) this.send({ type: "mediaSyncProgress", text: "3 added" });
          this.check(h.finishMedia(h.running.abortRequested ? "aborted" : a.media));
        } else if (h.running?.kind === "full") {
          this.check(h.finishFullSync(a.outcome === "ok" ? "ok" : "cancelled"));
        }
        return;
      case "tick":
        return this.check(h.tick(a.ms));
      case "wakeup":
        // A stray firing (e.g. the host's own background hook) must be harmless too.
        return this.send({ type: "wakeup", timer: a.timer });
      case "press":
        // with no page up there is no sidebar to press in; Anki's Sync button still reaches Python
        if (h.triggers[a.trigger].fromPage && h.pageDown) return;
        if (this.profile === "open" && h.running) seen.coalesced += 1;
        if (this.profile === "open") this.pending.push(h.t);
        return this.send({ type: "syncRequested", trigger: a.trigger });
      case "open":
        // A profile opens only once the last one has closed.
        if (this.profile !== "none") return;
        this.profile = "open";
        return this.send({
          type: "profileOpened",
          profile: "User 1",
          signedIn: a.signedIn,
          user: "ana",
          settings: a.settings,
          state: { history: fakeHistory(a.historyLength) },
        });
      case "close":
        if (this.profile !== "open") return;
        this.profile = "closing";
        seen.closes += 1;
        return this.send({ type: "profileClosing" });
      case "skipCloseWait":
        return this.send({ type: "skipCloseWait" });
      case "settings":
        return this.send({ type: "settingsChanged", settings: a.settings });
      case "activity":
        return this.send(
          a.awayMs === undefined
            ? { type: "activityChanged", place: a.place, quiet: a.quiet, active: a.active }
            : { type: "activityChanged", place: a.place, quiet: a.quiet, active: a.active, awayMs: a.awayMs },
        );
      case "pause":
        return this.send(
          a.forMs === undefined
            ? { type: "pauseChanged", paused: a.paused }
            : { type: "pauseChanged", paused: a.paused, until: h.t + a.forMs },
        );
      case "network":
        return this.send({ type: "networkChanged", online: a.online, metered: a.metered });
      case "wake":
        return this.send({ type: "clockJumped", gapMs: 3_600_000 });
      case "remote":
        h.remoteChanges = true;
        return;
      case "account":
        return this.send({ type: "accountChanged", signedIn: a.signedIn, user: a.user });
      case "localChange":
        return this.send({ type: "localChange", kinds: ["card"] });
      case "crash":
        if (this.down !== undefined) return; // already down
        seen.crashes += 1;
        if (a.midEvent) seen.midEventCrashes += 1;
        // a press still queued in the page is in its snapshot: the no-press-lost promise holds across it
        seen.pressesAcrossCrash += this.pending.length;
        h.crash(a.midEvent);
        this.down = a.down;
        this.helloDies = a.helloDies;
        return;
    }
  }

  /** Python loads the page again; the first one may die before it answers its hello. */
  restart(): void {
    if (this.helloDies) {
      seen.hellosDied += 1;
      this.host.restartPage(true);
    }
    this.down = undefined;
    this.helloDies = false;
    this.check(this.host.restartPage());
  }

  /** The host answers every sync (and status check) until none is left. */
  drain(): void {
    if (this.down !== undefined) this.restart();
    for (let i = 0; i < 100 && this.host.running; i++) {
      if (this.host.running.kind === "collection") this.check(this.host.finishCollection("ok"));
      else if (this.host.running.kind === "full") this.check(this.host.finishFullSync("cancelled"));
      else this.check(this.host.finishMedia("ok"));
    }
    expect(this.host.running).toBeNull();
  }

  /** Invariants on every batch of commands (the FakeHost itself throws on double syncs). */
  private check(commands: Command[]): void {
    for (const c of commands) {
      if (c.type === "syncCollection" || c.type === "chooseFullSync") this.pending = [];
      if (c.type === "continueClose") {
        expect(this.profile).toBe("closing");
        this.profile = "none";
        seen.continues += 1;
      }
      if (c.type === "syncCollection" || c.type === "syncMedia") {
        expect(this.profile).not.toBe("none"); // nothing syncs once Anki may close
      }
      if (c.type === "setWakeup" && c.timer === "retry") {
        seen.retryDelays.push(c.delayMs);
        expect(c.delayMs).toBeGreaterThanOrEqual(RETRY_MIN_MS);
        expect(c.delayMs).toBeLessThanOrEqual(RETRY_MAX_MS);
      }
      if (c.type === "saveState") expect(c.state.history.length).toBeLessThanOrEqual(HISTORY_LIMIT);
    }
    // a dead page shows nothing and decides nothing
    if (this.host.pageDown) return;
    const history = this.host.orchestrator.history();
    // a press the add-on will not run is named in the history (under the trigger it coalesced with)
    const skips = history.filter((e) => e.outcome === "skipped" && e.kind === "collection");
    this.pending = this.pending.filter((t) => !skips.some((e) => e.startedAt >= t));
    expect(history.length).toBeLessThanOrEqual(HISTORY_LIMIT);
    if (history.length === HISTORY_LIMIT) seen.historyFull += 1;
    // The sidebar's picture agrees with the host's.
    // (the user's full-sync choice shows as a collection sync)
    const hostKind = this.host.running?.kind === "full" ? "collection" : this.host.running?.kind;
    expect(this.host.orchestrator.status().running?.kind).toBe(hostKind);
  }
}

function fakeHistory(n: number): HistoryEntry[] {
  return Array.from({ length: n }, (_, i) => ({
    kind: "media" as const,
    trigger: "periodic" as const,
    startedAt: -n + i,
    durationMs: 1,
    outcome: "ok",
  }));
}

export const scriptArb = (outcomes: CollectionOutcome[], closeWeight: number, presses?: readonly Trigger[]) =>
  fc.array(actionArb(outcomes, closeWeight, presses), { minLength: 1, maxLength: 200, size: "max" });
