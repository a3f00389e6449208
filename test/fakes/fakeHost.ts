// Test-only: a fake of the Python host on a fake clock. It carries out the
// orchestrator's commands the way the host does (timers, one sync at a time, close)
// and throws the moment the orchestrator breaks a rule the host relies on.
// Imported only by the orchestrator's tests.

import { DEFAULT_SETTINGS, SETTINGS_VERSION } from "../../web/src/core/defaults";
import { createOrchestrator } from "../../web/src/core/orchestrator";
import { TRIGGER_TRAITS, type TriggerTable } from "../../web/src/core/triggers";
import type {
  CollectionOutcome,
  Command,
  MediaOutcome,
  Orchestrator,
  OrchestratorEvent,
  PersistedState,
  Settings,
  TimerName,
  Trigger,
} from "../../web/src/core/types";

/** The product's defaults (config.json): the settings a test starts from. */
export const DEFAULT_TEST_SETTINGS: Settings = { ...DEFAULT_SETTINGS };

export type HostSync =
  | { kind: "full" }
  | { kind: "collection"; trigger: Trigger; media: boolean; abortRequested?: boolean }
  | { kind: "media"; trigger: Trigger; abortRequested: boolean };

type ProfileOpened = Extract<OrchestratorEvent, { type: "profileOpened" }>;

/** One event as Python's journal keeps it: numbered, stamped with when the host saw it. */
interface Journaled {
  seq: number;
  at: number;
  event: OrchestratorEvent;
}

/** The page's own events: they start in the page, so only its snapshot carries them. */
function fromPage(e: OrchestratorEvent, triggers: TriggerTable): boolean {
  return (
    e.type === "pauseChanged" ||
    e.type === "skipCloseWait" ||
    e.type === "dismissNotice" ||
    (e.type === "syncRequested" && triggers[e.trigger].fromPage)
  );
}

/** How a host may fail the restart contract, for the property test's red runs. */
export type BrokenHost = "dropsEventsAfterSnapshot" | "snapshotWithoutQueue";

export class FakeHost {
  t = 0;
  orchestrator: Orchestrator;
  /** Armed single-shot timers and when they fire. */
  readonly timers = new Map<TimerName, number>();
  running: HostSync | null = null;
  /** Every command ever received, in order. */
  readonly log: Command[] = [];
  closings = 0;
  continues = 0;
  saved: PersistedState | undefined;
  /** Flipnem has changes this device has not (a test says so); a collection sync that runs brings them. */
  remoteChanges = false;
  /** This device has changes Flipnem has not: reported since the last collection sync that went through. */
  localChanges = false;
  private changes = 0;
  /** What the running collection sync would find: it is a probe, something is to exchange, the changes it carries. */
  private runFinds = { probe: false, dirty: false, changesAt: 0 };
  /**
   * The idle checks' probes are answered at once, as a server with nothing new would (or with what
   * `remoteChanges` and `localChanges` say); off, a test finishes them itself.
   */
  answersChecks: boolean;

  // ---- the restart contract, as Python keeps it: the page's last snapshot and the events after it
  private seq = 0;
  private snapshot: unknown = null;
  private snapshotSeq = 0;
  private journal: Journaled[] = [];
  /** The last host event the live page has handled. */
  private pageSeq = 0;
  /** No page is up: host events are only journaled, the page's own cannot happen. */
  pageDown = false;
  /** The page dies while it handles the next host event, before its snapshot and commands reach the host. */
  private diesMidEvent = false;
  /** For the property test's red runs. */
  broken: BrokenHost | undefined;

  /**
   * `inStep: false` leaves the while-open schedule out, for the tests of everything else: the input
   * watch and the idle checks' timer are not in what `send` returns and `log` keeps, the checks' clock
   * never fires by itself, and a check a test wakes is answered at once (out of the log when it found
   * nothing). The in-step tests see and answer all of it.
   */
  constructor(
    private readonly random: () => number = () => 0.5,
    private readonly opts: { inStep?: boolean; triggers?: TriggerTable } = {},
  ) {
    this.triggers = opts.triggers ?? TRIGGER_TRAITS;
    this.answersChecks = !opts.inStep;
    this.orchestrator = this.startPage();
  }

  /** What each trigger is, as the orchestrator under test knows it. */
  readonly triggers: TriggerTable;

  private startPage(): Orchestrator {
    return createOrchestrator({ now: () => this.t, random: this.random, triggers: this.triggers });
  }

  send(event: OrchestratorEvent): Command[] {
    if (fromPage(event, this.triggers)) {
      if (this.pageDown) return [];
      return this.apply(this.orchestrator.handle(event));
    }
    if (event.type === "profileClosing") this.closings += 1;
    if (event.type === "localChange") {
      this.localChanges = true;
      this.changes += 1;
    }
    this.seq += 1;
    this.journal.push({ seq: this.seq, at: this.t, event });
    if (this.pageDown) return [];
    const commands = this.orchestrator.handle(event, this.t);
    if (this.diesMidEvent) {
      // handled, but the page died before its answer left it: nothing was carried out
      this.diesMidEvent = false;
      this.pageDown = true;
      return [];
    }
    this.pageSeq = this.seq;
    return this.apply(commands);
  }

  /** What the page hands over after an event: its snapshot, then the commands, in one message. */
  private apply(all: Command[]): Command[] {
    this.snapshot = this.orchestrator.snapshot();
    this.snapshotSeq = this.pageSeq;
    this.journal = this.journal.filter((j) => j.seq > this.pageSeq);
    for (const c of all) this.carryOut(c);
    const check = this.answersChecks && this.running?.kind === "collection" && this.running.trigger === "pull";
    const quiet = check && !this.localChanges && !this.remoteChanges;
    const shown = this.opts.inStep ? all : all.filter((c) => !isSchedule(c) && !(quiet && c.type === "syncCollection"));
    this.log.push(...shown);
    if (check) return [...shown, ...this.finishCollection("ok")];
    return shown;
  }

  /** The page dies: now (after its last answer), or while it handles the next host event. */
  crash(midEvent = false): void {
    if (midEvent && !this.pageDown) this.diesMidEvent = true;
    else this.pageDown = true;
  }

  /**
   * The page crashed and Python loaded it again: a fresh orchestrator takes up the last snapshot
   * and the events since, through the same `handle`. Whatever Python was running goes on, and its
   * end reaches the new page. `helloDies`: that page too dies before its first answer.
   */
  restartPage(helloDies = false): Command[] {
    this.diesMidEvent = false;
    this.pageDown = false;
    this.orchestrator = this.startPage();
    this.pageSeq = this.snapshotSeq;
    if (this.snapshot !== null) this.orchestrator.restore(this.handedSnapshot());
    const replay = this.broken === "dropsEventsAfterSnapshot" ? [] : [...this.journal];
    if (helloDies) {
      for (const j of replay) this.orchestrator.handle(j.event, j.at);
      this.pageDown = true;
      return [];
    }
    const out: Command[] = [];
    for (const j of replay) {
      const commands = this.orchestrator.handle(j.event, j.at);
      this.pageSeq = j.seq;
      out.push(...this.apply(commands));
    }
    // the snapshot as it now stands, even when nothing was replayed
    if (replay.length === 0) out.push(...this.apply([]));
    return out;
  }

  /** The queued collection sync in the snapshot Python holds. */
  handedQueue(): Trigger | undefined {
    const snap = this.snapshot as { session?: { owed?: { collection?: Trigger } } } | null;
    return snap?.session?.owed?.collection;
  }

  private handedSnapshot(): unknown {
    const snap = JSON.parse(JSON.stringify(this.snapshot)) as { session: { owed?: { collection?: unknown } } };
    if (this.broken === "snapshotWithoutQueue" && snap.session.owed) delete snap.session.owed.collection;
    return snap;
  }

  open(over: Partial<ProfileOpened> = {}): Command[] {
    return this.send({
      type: "profileOpened",
      profile: "User 1",
      signedIn: true,
      user: "ana@example.com",
      server: "https://sync.flipnem.example/",
      settings: DEFAULT_TEST_SETTINGS,
      settingsVersion: SETTINGS_VERSION,
      ...over,
    });
  }

  /** Finish the running collection sync; media runs on after success if it was asked for. */
  finishCollection(
    outcome: CollectionOutcome = "ok",
    extra: {
      mediaStarted?: boolean;
      message?: string;
      serverMessage?: string;
      counts?: string;
      exchanged?: boolean;
    } = {},
  ): Command[] {
    const run = this.running;
    if (run?.kind !== "collection") throw new Error("host: no collection sync is running");
    // a probe says whether anything went either way; media goes along only when something did
    const finds = this.runFinds;
    const exchanged = finds.probe && outcome === "ok" ? (extra.exchanged ?? finds.dirty) : undefined;
    const mediaStarted = extra.mediaStarted ?? (run.media && outcome === "ok" && exchanged !== false);
    this.running = mediaStarted ? { kind: "media", trigger: run.trigger, abortRequested: false } : null;
    if (outcome === "ok") {
      this.remoteChanges = false;
      // a change made while the sync ran is still this device's alone
      if (finds.changesAt === this.changes) this.localChanges = false;
    }
    const event: OrchestratorEvent = { type: "collectionSyncFinished", outcome, mediaStarted };
    if (exchanged !== undefined) event.exchanged = exchanged;
    if (extra.message !== undefined) event.message = extra.message;
    if (extra.serverMessage !== undefined) event.serverMessage = extra.serverMessage;
    if (extra.counts !== undefined) event.counts = extra.counts;
    return this.send(event);
  }

  finishMedia(outcome: MediaOutcome = "ok", message?: string, counts?: string): Command[] {
    if (this.running?.kind !== "media") throw new Error("host: no media sync is running");
    this.running = null;
    const event: OrchestratorEvent = { type: "mediaSyncFinished", outcome };
    if (message !== undefined) event.message = message;
    if (counts !== undefined) event.counts = counts;
    return this.send(event);
  }

  /** The user answered Anki's upload/download question. */
  finishFullSync(outcome: "ok" | "cancelled" | "failed" = "ok"): Command[] {
    if (this.running?.kind !== "full") throw new Error("host: no full sync is running");
    this.running = null;
    return this.send({ type: "fullSyncFinished", outcome });
  }

  /** Let fake time pass, firing due timers in order. */
  tick(ms: number): Command[] {
    const until = this.t + ms;
    const out: Command[] = [];
    for (;;) {
      const next = [...this.timers].sort((a, b) => a[1] - b[1])[0];
      if (!next || next[1] > until) break;
      this.t = next[1];
      this.timers.delete(next[0]);
      out.push(...this.send({ type: "wakeup", timer: next[0] }));
    }
    this.t = until;
    return out;
  }

  private carryOut(c: Command): void {
    switch (c.type) {
      case "syncCollection":
      case "syncMedia":
        if (this.running) {
          throw new Error(`two syncs at once: ${c.type} while ${this.running.kind} runs`);
        }
        this.running =
          c.type === "syncCollection"
            ? { kind: "collection", trigger: c.trigger, media: c.media }
            : { kind: "media", trigger: c.trigger, abortRequested: false };
        if (c.type === "syncCollection") {
          this.runFinds = { probe: c.probe, dirty: this.localChanges || this.remoteChanges, changesAt: this.changes };
        }
        return;
      case "abortMedia":
        if (this.running?.kind === "media") this.running.abortRequested = true;
        return;
      case "abortCollection":
        if (this.running?.kind === "collection") this.running.abortRequested = true;
        return;
      case "continueClose":
        if (this.continues >= this.closings) throw new Error("continueClose without a closing");
        this.continues += 1;
        return;
      case "setWakeup":
        if (!Number.isInteger(c.delayMs) || c.delayMs < 0) throw new Error(`bad delay ${c.delayMs}`);
        // the tests of everything else leave the idle checks' clock alone (a test may still wake it)
        if (c.timer === "statusCheck" && !this.opts.inStep) return;
        this.timers.set(c.timer, this.t + c.delayMs);
        return;
      case "cancelWakeup":
        this.timers.delete(c.timer);
        return;
      case "saveState":
        this.saved = c.state;
        return;
      case "forgetKey":
      case "saveSettings":
      case "revealSidebar":
      case "watchInput":
      case "notify":
        return;
      case "chooseFullSync":
        if (this.running) throw new Error(`a full sync while ${this.running.kind} runs`);
        this.running = { kind: "full" };
        return;
    }
  }
}

function isSchedule(c: Command): boolean {
  if (c.type === "watchInput") return true;
  return (c.type === "setWakeup" || c.type === "cancelWakeup") && c.timer === "statusCheck";
}

/** The commands of some types only, e.g. the syncs. */
export function only<T extends Command["type"]>(commands: Command[], ...types: T[]): Extract<Command, { type: T }>[] {
  return commands.filter((c): c is Extract<Command, { type: T }> => types.includes(c.type as T));
}

/** Everything but saveState, for comparing what the host is told to do. */
export function actions(commands: Command[]): Command[] {
  return commands.filter((c) => c.type !== "saveState");
}
