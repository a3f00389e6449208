// What one event asks of the host. The order is the rule, stated once: timers and saved
// state come first, so a host busy carrying out a sync never holds back a timer and history
// is on disk before Anki may close; then what the host acts on, in the order decided.
// Also what every module works on while the orchestrator handles one event (`Core`).
// Owns: when each armed wakeup is due (the caller's `owed.at`), and nothing else of the state.
import type { TriggerTable } from "./triggers";
import type { Command, Environment, PersistedState, Session, TimerName } from "./types";

/** The state, the effects so far (with what the settle step owes the queue), and the injected clock. */
export interface Core {
  readonly s: Session;
  readonly env: Environment;
  /** What the event being handled asks of the host; fresh for each event. */
  out: Effects;
  /** What each trigger is (the table, or a test's extension of it). */
  readonly triggers: TriggerTable;
  now(): number;
  random(): number;
}

/** What the orchestrator is given: the clock, the jitter's source, and (for a test) the trigger table. */
export interface OrchestratorDeps {
  now: () => number;
  /** In [0, 1); used only for retry jitter. */
  random: () => number;
  /** What each trigger is; a test may extend the table with a made-up trigger. */
  triggers?: TriggerTable;
}

type Bookkeeping = Extract<Command, { type: "setWakeup" | "cancelWakeup" }>;
/** What remembers when each armed wakeup is due (the queue's `owed`). */
type Armed = { at: Partial<Record<TimerName, number>> };

type Action = Exclude<Command, Bookkeeping | { type: "saveState" }>;

export class Effects {
  private readonly timers: Bookkeeping[] = [];
  private readonly actions: Action[] = [];
  historyChanged = false;
  /** A sync or a status check ended (or a close began): the settle step advances the queue. */
  queueFreed = false;
  /** Something that holds owed syncs changed: the settle step runs what is owed, if it may. */
  owedMayRun = false;

  do(action: Action): void {
    this.actions.push(action);
  }

  /** Arms (or re-arms) a host wakeup; `owed.at` remembers when it is due. */
  arm(owed: Armed, timer: TimerName, delayMs: number, now: number): void {
    // whole milliseconds, never early: times that come with events are fractional
    const whole = Math.max(0, Math.ceil(delayMs));
    owed.at[timer] = now + whole;
    this.timers.push({ type: "setWakeup", timer, delayMs: whole });
  }

  cancel(owed: Armed, timer: TimerName): void {
    if (owed.at[timer] === undefined) return;
    delete owed.at[timer];
    this.timers.push({ type: "cancelWakeup", timer });
  }

  /** A wakeup the host reports as fired is struck off; false when it was cancelled or replaced (stale). */
  fired(owed: Armed, timer: TimerName): boolean {
    if (owed.at[timer] === undefined) return false;
    delete owed.at[timer];
    return true;
  }

  commands(saved: () => PersistedState): Command[] {
    const save: Command[] = this.historyChanged ? [{ type: "saveState", state: saved() }] : [];
    return [...this.timers, ...save, ...this.actions];
  }
}
