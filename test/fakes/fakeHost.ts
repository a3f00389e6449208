// Test-only: a fake of the Python host on a fake clock. It carries out the
// orchestrator's commands the way the host does (timers, one sync at a time, close)
// and throws the moment the orchestrator breaks a rule the host relies on.
// Imported only by the orchestrator's tests.

import { DEFAULT_SETTINGS, SETTINGS_VERSION } from "../../web/src/core/defaults";
import { createOrchestrator } from "../../web/src/core/orchestrator";
import type {
  CollectionOutcome,
  Command,
  MediaOutcome,
  Orchestrator,
  OrchestratorEvent,
  PersistedState,
  Settings,
  StatusRequired,
  TimerName,
  Trigger,
} from "../../web/src/core/types";

/** The product's defaults (config.json): the settings a test starts from. */
export const DEFAULT_TEST_SETTINGS: Settings = { ...DEFAULT_SETTINGS };

export type HostSync =
  | { kind: "full" }
  | { kind: "collection"; trigger: Trigger; media: boolean }
  | { kind: "media"; trigger: Trigger; abortRequested: boolean };

type ProfileOpened = Extract<OrchestratorEvent, { type: "profileOpened" }>;

export class FakeHost {
  t = 0;
  readonly orchestrator: Orchestrator;
  /** Armed single-shot timers and when they fire. */
  readonly timers = new Map<TimerName, number>();
  running: HostSync | null = null;
  /** Every command ever received, in order. */
  readonly log: Command[] = [];
  closings = 0;
  continues = 0;
  saved: PersistedState | undefined;
  /** A status check is out. */
  checking = false;
  /** How the host answers a status check at once; null leaves it out until `answerStatus`. */
  statusReply: { outcome: CollectionOutcome; required?: StatusRequired; localChanges: boolean } | null = {
    outcome: "ok",
    required: "none",
    localChanges: false,
  };

  /**
   * `inStep: false` leaves the while-open schedule (the input watch and the status check's timer and
   * answers) out of what `send` returns and `log` keeps, for the tests of everything else; it is
   * still carried out. The in-step tests see all of it.
   */
  constructor(
    random: () => number = () => 0.5,
    private readonly opts: { inStep?: boolean } = {},
  ) {
    this.orchestrator = createOrchestrator({ now: () => this.t, random });
  }

  send(event: OrchestratorEvent): Command[] {
    if (event.type === "profileClosing") this.closings += 1;
    const all = this.orchestrator.handle(event);
    for (const c of all) this.carryOut(c);
    const commands = this.opts.inStep ? all : all.filter((c) => !isSchedule(c));
    this.log.push(...commands);
    if (this.checking && this.statusReply) return [...commands, ...this.answerStatus(this.statusReply)];
    return commands;
  }

  /** The status check's answer. */
  answerStatus(reply: { outcome: CollectionOutcome; required?: StatusRequired; localChanges: boolean }): Command[] {
    if (!this.checking) throw new Error("host: no status check is out");
    this.checking = false;
    return this.send({ type: "statusChecked", ...reply });
  }

  open(over: Partial<ProfileOpened> = {}): Command[] {
    return this.send({
      type: "profileOpened",
      profile: "User 1",
      signedIn: true,
      user: "ana@example.com",
      server: "https://sync.flipnem.example/",
      settings: DEFAULT_TEST_SETTINGS,
      openSync: true,
      settingsVersion: SETTINGS_VERSION,
      ...over,
    });
  }

  /** Finish the running collection sync; media runs on after success if it was asked for. */
  finishCollection(
    outcome: CollectionOutcome = "ok",
    extra: { mediaStarted?: boolean; message?: string; serverMessage?: string; counts?: string } = {},
  ): Command[] {
    const run = this.running;
    if (run?.kind !== "collection") throw new Error("host: no collection sync is running");
    const mediaStarted = extra.mediaStarted ?? (run.media && outcome === "ok");
    this.running = mediaStarted ? { kind: "media", trigger: run.trigger, abortRequested: false } : null;
    const event: OrchestratorEvent = { type: "collectionSyncFinished", outcome, mediaStarted };
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
        if (this.checking) throw new Error(`${c.type} while a status check is out`);
        if (this.running) {
          throw new Error(`two syncs at once: ${c.type} while ${this.running.kind} runs`);
        }
        this.running =
          c.type === "syncCollection"
            ? { kind: "collection", trigger: c.trigger, media: c.media }
            : { kind: "media", trigger: c.trigger, abortRequested: false };
        return;
      case "abortMedia":
        if (this.running?.kind === "media") this.running.abortRequested = true;
        return;
      case "continueClose":
        if (this.continues >= this.closings) throw new Error("continueClose without a closing");
        this.continues += 1;
        return;
      case "setWakeup":
        if (!Number.isInteger(c.delayMs) || c.delayMs < 0) throw new Error(`bad delay ${c.delayMs}`);
        this.timers.set(c.timer, this.t + c.delayMs);
        return;
      case "cancelWakeup":
        this.timers.delete(c.timer);
        return;
      case "saveState":
        this.saved = c.state;
        return;
      case "checkStatus":
        if (this.running || this.checking) throw new Error(`a status check while ${this.running?.kind ?? "one"} runs`);
        this.checking = true;
        return;
      case "forgetKey":
      case "revealSidebar":
      case "saveSettings":
      case "watchInput":
      case "notify":
      case "setPaused":
        return;
      case "chooseFullSync":
        if (this.running) throw new Error(`a full sync while ${this.running.kind} runs`);
        this.running = { kind: "full" };
        return;
    }
  }
}

function isSchedule(c: Command): boolean {
  if (c.type === "watchInput" || c.type === "checkStatus") return true;
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
