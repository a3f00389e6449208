// History and what is saved between sessions: entries in, capped; the saved state out,
// fitting one message; and restoring a saved state that may be old, hand-edited or damaged.
// Owns: history (every entry goes through addHistory or recordSkip).
import { cut, cutEntry, ERROR_TEXT_CHARS, fitState } from "./limits";
import type { Session } from "./types";
import { TRIGGER_TRAITS, type TriggerTable } from "./triggers";
import {
  HISTORY_LIMIT,
  SKIP_REASONS,
  TRIGGERS,
  type HistoryEntry,
  type LastSync,
  type PersistedState,
  type Problem,
  type RunningSync,
  type SkipReason,
  type Trigger,
} from "./types";

/** Adds an entry, keeping the newest HISTORY_LIMIT. */
export function addHistory(history: HistoryEntry[], e: HistoryEntry): void {
  history.push(e);
  if (history.length > HISTORY_LIMIT) history.splice(0, history.length - HISTORY_LIMIT);
}

/** Records a decision not to sync, once per story for timers. */
export function recordSkip(
  c: {
    readonly s: Pick<Session, "phase" | "history">;
    readonly out: { historyChanged: boolean };
    readonly triggers: TriggerTable;
    now(): number;
  },
  kind: HistoryEntry["kind"],
  trigger: Trigger,
  reason: SkipReason,
): void {
  if (c.s.phase === "notOpen" || c.s.phase === "closed") return;
  if (repeatsLastSkip(c.s.history, kind, trigger, reason, c.triggers)) return;
  addHistory(c.s.history, skipEntry(kind, trigger, reason, c.now()));
  c.out.historyChanged = true;
}

/** A timer that keeps skipping for the same reason is one story, not hundreds. */
export function repeatsLastSkip(
  history: HistoryEntry[],
  kind: HistoryEntry["kind"],
  trigger: Trigger,
  reason: SkipReason,
  table: TriggerTable = TRIGGER_TRAITS,
): boolean {
  const last = history.at(-1);
  const repeat =
    last !== undefined &&
    last.outcome === "skipped" &&
    last.kind === kind &&
    last.trigger === trigger &&
    last.skippedReason === reason;
  return repeat && table[trigger].midSession;
}

export function skipEntry(kind: HistoryEntry["kind"], trigger: Trigger, reason: SkipReason, now: number): HistoryEntry {
  return { kind, trigger, startedAt: now, durationMs: 0, outcome: "skipped", skippedReason: reason };
}

export function entry(
  kind: HistoryEntry["kind"],
  run: RunningSync,
  now: number,
  outcome: string,
  said: { message?: string; serverMessage?: string; counts?: string },
): HistoryEntry {
  const e: HistoryEntry = {
    kind,
    trigger: run.trigger,
    startedAt: run.startedAt,
    durationMs: Math.max(0, now - run.startedAt),
    outcome,
  };
  if (said.message !== undefined) e.message = said.message;
  if (said.serverMessage !== undefined) e.serverMessage = said.serverMessage;
  if (said.counts !== undefined) e.counts = said.counts;
  return cutEntry(e);
}

export function lastSync(at: number, outcome: string, message?: string): LastSync {
  return message === undefined ? { at, outcome } : { at, outcome, message: cut(message, ERROR_TEXT_CHARS) };
}

export function problem(kind: Problem["kind"], message?: string): Problem {
  return message === undefined ? { kind } : { kind, message: cut(message, ERROR_TEXT_CHARS) };
}

/** The state as saved: copies, fitting one message. `pausedUntil`: a timed pause, which outlives Anki. */
export function persisted(
  s: {
    history: HistoryEntry[];
    lastCollectionSync?: LastSync;
    lastMediaSync?: LastSync;
    changesWaitingSince?: number;
    noticed?: string[];
    notice?: string;
  },
  pausedUntil?: number,
): PersistedState {
  const state: PersistedState = { history: s.history.map((h) => ({ ...h })) };
  if (s.lastCollectionSync) state.lastCollectionSync = { ...s.lastCollectionSync };
  if (s.lastMediaSync) state.lastMediaSync = { ...s.lastMediaSync };
  if (s.changesWaitingSince !== undefined) state.changesWaitingSince = s.changesWaitingSince;
  if (s.noticed?.length) state.noticed = [...s.noticed];
  if (s.notice !== undefined) state.notice = s.notice;
  if (pausedUntil !== undefined) state.pausedUntil = pausedUntil;
  return fitState(state);
}

type Restored = Pick<
  PersistedState,
  "history" | "lastCollectionSync" | "lastMediaSync" | "changesWaitingSince" | "noticed" | "notice" | "pausedUntil"
>;

const NOTICES: readonly string[] = ["lasting", "authFailed", "fullSyncRequired"];
const ONE_TIME_LINES: readonly string[] = ["backgroundOn"];

export function restoreState(raw: unknown): Restored {
  const restored: Restored = { history: [] };
  if (!isRecord(raw)) return restored;
  if (isFiniteNumber(raw.changesWaitingSince)) restored.changesWaitingSince = raw.changesWaitingSince;
  if (Array.isArray(raw.noticed)) {
    const noticed = NOTICES.filter((n) => (raw.noticed as unknown[]).includes(n));
    if (noticed.length) restored.noticed = noticed;
  }
  if (typeof raw.notice === "string" && ONE_TIME_LINES.includes(raw.notice)) restored.notice = raw.notice;
  if (isFiniteNumber(raw.pausedUntil)) restored.pausedUntil = raw.pausedUntil;
  if (Array.isArray(raw.history)) {
    restored.history = raw.history.flatMap(toHistoryEntry).slice(-HISTORY_LIMIT);
  }
  const lastCollection = toLastSync(raw.lastCollectionSync);
  if (lastCollection) restored.lastCollectionSync = lastCollection;
  const lastMedia = toLastSync(raw.lastMediaSync);
  if (lastMedia) restored.lastMediaSync = lastMedia;
  return restored;
}

function toHistoryEntry(raw: unknown): HistoryEntry[] {
  if (!isRecord(raw)) return [];
  const { kind, trigger, startedAt, durationMs, outcome } = raw;
  if (kind !== "collection" && kind !== "media") return [];
  if (!TRIGGERS.includes(trigger as Trigger)) return [];
  if (!isFiniteNumber(startedAt) || !isFiniteNumber(durationMs) || typeof outcome !== "string") return [];
  const e: HistoryEntry = { kind, trigger: trigger as Trigger, startedAt, durationMs, outcome };
  if (typeof raw.message === "string") e.message = raw.message;
  if (typeof raw.serverMessage === "string") e.serverMessage = raw.serverMessage;
  if (typeof raw.counts === "string") e.counts = raw.counts;
  if (SKIP_REASONS.includes(raw.skippedReason as SkipReason)) {
    e.skippedReason = raw.skippedReason as SkipReason;
  }
  return [cutEntry(e)];
}

function toLastSync(raw: unknown): LastSync | undefined {
  if (!isRecord(raw) || !isFiniteNumber(raw.at) || typeof raw.outcome !== "string") return undefined;
  return lastSync(raw.at, raw.outcome, typeof raw.message === "string" ? raw.message : undefined);
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function isFiniteNumber(x: unknown): x is number {
  return typeof x === "number" && Number.isFinite(x);
}
