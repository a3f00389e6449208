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
  orchestrator: Orchestrator;
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
  /** What Python knows of the open profile, for a page started again (its hello). */
  session: Omit<ProfileOpened, "type"> | null = null;
  closing = false;
  paused: { until?: number } | null = null;
  /** After a page restart Python still runs the old page's sync: it refuses a new one, as busy. */
  private restarted = false;
  /** A deliberately broken host for the property test: it does not tell a new page what runs. */
  forgetsWhatRuns = false;
  private refusals: OrchestratorEvent[] = [];

  constructor(
    private readonly random: () => number = () => 0.5,
    private readonly opts: { inStep?: boolean } = {},
  ) {
    this.orchestrator = createOrchestrator({ now: () => this.t, random });
  }

  send(event: OrchestratorEvent): Command[] {
    this.remember(event);
    const all = this.orchestrator.handle(event);
    for (const c of all) this.carryOut(c);
    const commands = this.opts.inStep ? all : all.filter((c) => !isSchedule(c));
    this.log.push(...commands);
    // a command Python refused comes back as its finish, as the page's engine reports it
    const refused = this.refusals.splice(0);
    const after = refused.flatMap((e) => this.send(e));
    if (this.checking && this.statusReply) return [...commands, ...after, ...this.answerStatus(this.statusReply)];
    return [...commands, ...after];
  }

  /**
   * The page crashed and Python loaded it again: a fresh orchestrator, told what Python holds
   * (the pause, the profile with its saved state, whether it is closing). Whatever Python was
   * running goes on, and its end reaches the new page.
   */
  restartPage(): Command[] {
    this.orchestrator = createOrchestrator({ now: () => this.t, random: this.random });
    this.restarted = true;
    const out: Command[] = [];
    if (this.paused) out.push(...this.send({ type: "pauseChanged", paused: true, ...this.paused }));
    if (this.session) {
      const hello = { ...this.session, openSync: false, closing: this.closing, ...this.runningForHello() };
      out.push(...this.send({ type: "profileOpened", ...hello, state: this.saved ?? {} }));
    }
    return out;
  }

  /** What Python says it runs, as main.py's hello and profileOpened do. */
  runningForHello(): { syncRunning?: "collection" | "media"; syncTrigger?: Trigger } {
    const run = this.running;
    if (!run || this.forgetsWhatRuns) return {};
    if (run.kind === "full") return { syncRunning: "collection", syncTrigger: "button" };
    return { syncRunning: run.kind, syncTrigger: run.trigger };
  }

  private remember(event: OrchestratorEvent): void {
    switch (event.type) {
      case "profileOpened": {
        // what Python keeps of a session; what runs is told afresh at each hello
        const { type: _type, closing, syncRunning: _running, syncTrigger: _trigger, ...session } = event;
        this.session = session;
        // a page started during a close is told so; a new profile is not closing
        this.closing = closing === true;
        return;
      }
      case "profileClosing":
        this.closings += 1;
        this.closing = true;
        return;
      case "settingsChanged":
        if (this.session) this.session = { ...this.session, settings: event.settings };
        return;
      case "accountChanged":
        if (this.session) this.session = { ...this.session, signedIn: event.signedIn, user: event.user };
        return;
      case "pauseChanged":
        this.paused = event.paused ? (event.until === undefined ? {} : { until: event.until }) : null;
        return;
    }
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
        if (this.restarted && (this.running || this.checking)) {
          this.refusals.push(
            c.type === "syncCollection"
              ? { type: "collectionSyncFinished", outcome: "failed", message: "busy", mediaStarted: false }
              : { type: "mediaSyncFinished", outcome: "failed", message: "busy" },
          );
          return;
        }
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
        this.session = null;
        this.closing = false;
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
        if (this.restarted && (this.running || this.checking)) {
          this.refusals.push({ type: "statusChecked", outcome: "failed", message: "busy", localChanges: false });
          return;
        }
        if (this.running || this.checking) throw new Error(`a status check while ${this.running?.kind ?? "one"} runs`);
        this.checking = true;
        return;
      case "forgetKey":
        if (c.type === "forgetKey" && this.session) this.session = { ...this.session, signedIn: false };
        return;
      case "saveSettings":
        if (this.session) this.session = { ...this.session, settings: c.settings };
        return;
      case "revealSidebar":
      case "watchInput":
      case "notify":
      case "setPaused":
        return;
      case "chooseFullSync":
        if (this.restarted && this.running) {
          this.refusals.push({ type: "fullSyncFinished", outcome: "failed", message: "busy" });
          return;
        }
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
