// What each part of the sidebar shows, as plain data computed from the orchestrator's
// status and history; the words come from ./words (the top bar's from ../topbar/words).
// Pure: `now` is passed in; the components only render these.

import { abortsOnInput } from "../../core/policy";
import { HISTORY_LIMIT } from "../../core/types";
import type { HistoryEntry, LastSync, ProblemKind, Status } from "../../core/types";
import { clockTime, duration, relativeTime, timestamp } from "./time";
import { flipnemNames } from "../names";
import { words as topBarWords } from "../topbar/words";
import { noPeriodicMediaWords, outcomeWords, problemWords, waitingWords, words } from "./words";

export { clockTime, duration, relativeTime, timestamp } from "./time";

export type Tone = "ok" | "bad" | "neutral";

// ---- Now ------------------------------------------------------------------------------

export interface NowView {
  headline: string;
  /** Anki's stage or progress text. */
  detail?: string;
  /** "Sync now · started just now" */
  started?: string;
  /** Syncs waiting for the running one. */
  queued?: string;
  /** What closing is waiting for. */
  closing?: string;
  /** Closing waits for media: the user may skip the wait. */
  canSkipWait: boolean;
}

export function nowView(status: Status, now: number): NowView {
  const run = status.running;
  const view: NowView = { headline: words.idle, canSkipWait: false };
  if (run) {
    view.headline = words.syncing(run.kind);
    const detail = run.kind === "collection" ? run.stage : run.progress;
    if (run.waitingForChoice) view.detail = words.waitingForChoice;
    else if (detail) view.detail = flipnemNames(detail);
    view.started = words.started(run.trigger, relativeTime(Math.min(run.startedAt, now), now));
  }
  if (status.pending.length > 0) view.queued = words.queued(status.pending);
  if (status.closing) {
    if (run?.kind === "media") {
      view.closing = words.closesAfterMedia;
      view.canSkipWait = true;
    } else if (run) {
      view.closing = words.closesAfterSync;
    } else {
      view.closing = words.closing;
    }
  }
  return view;
}

// ---- Last -----------------------------------------------------------------------------

export interface LastView {
  result: string;
  tone: Tone;
  /** "2 min ago" */
  when?: string;
  /** The exact time, for a tooltip. */
  at?: string;
  message?: string;
}

export function lastView(last: LastSync | undefined, now: number): LastView {
  if (!last) return { result: words.notYet, tone: "neutral" };
  const view: LastView = {
    result: outcomeWords(last.outcome),
    tone: toneOf(last.outcome),
    when: relativeTime(Math.min(last.at, now), now),
    at: timestamp(last.at),
  };
  if (last.message && last.outcome !== "ok") view.message = flipnemNames(last.message);
  return view;
}

function toneOf(outcome: string): Tone {
  if (outcome === "ok") return "ok";
  return outcome === "aborted" || outcome === "skipped" ? "neutral" : "bad";
}

// ---- Next -----------------------------------------------------------------------------

export interface NextView {
  media: string;
  retry?: string;
}

export function nextView(status: Status, now: number): NextView {
  const view: NextView = { media: words.noPeriodicMedia };
  if (status.nextPeriodicMediaAt !== undefined) {
    view.media = words.mediaAt(at(status.nextPeriodicMediaAt, now));
  } else if (status.nextPeriodicMediaReason !== undefined) {
    view.media = noPeriodicMediaWords(status.nextPeriodicMediaReason);
  }
  if (status.nextRetryAt !== undefined) view.retry = words.retryAt(at(status.nextRetryAt, now));
  return view;
}

/** "10:57 (in 14 min)" */
function at(time: number, now: number): string {
  return words.clockAndDistance(clockTime(time, now), relativeTime(time, now));
}

// ---- Problems -------------------------------------------------------------------------

export interface ProblemView {
  key: string;
  kind: ProblemKind | "config";
  text: string;
  /** Anki's own words for the failure. */
  detail?: string;
  willDo?: string;
  youCan?: string;
  signIn: boolean;
}

/** The sync problem first, then the host's warnings (a bad config, an unreachable Anki). */
export function problemViews(status: Status, configProblems: readonly string[], now: number): ProblemView[] {
  const views: ProblemView[] = [];
  const problem = status.problem;
  if (problem) {
    const ctx = { now, paused: status.paused, online: status.online, nextPeriodicMediaAt: status.nextPeriodicMediaAt };
    const view: ProblemView = { key: `sync-${problem.kind}`, kind: problem.kind, ...problemWords(problem, ctx) };
    if (problem.message) view.detail = flipnemNames(problem.message);
    views.push(view);
  }
  configProblems.forEach((text, i) => {
    views.push({ key: `config-${i}`, kind: "config", text: flipnemNames(text), signIn: false });
  });
  return views;
}

// ---- Announced ------------------------------------------------------------------------

/**
 * What a screen reader hears, politely: the sync state and the problems shown, with no time in
 * it, so the clock's ticks never change it and the same state is never said twice.
 */
export function announcement(status: Status, problems: readonly ProblemView[]): string {
  const run = status.running;
  const last = status.lastCollectionSync;
  let state: string;
  if (run) state = words.syncing(run.kind);
  else if (status.paused) state = words.announcePaused;
  else if (last) state = `${words.announceLast} ${outcomeWords(last.outcome)}.`;
  else state = words.idle;
  return [state, ...problems.map((p) => p.text)].join(" ");
}

// ---- History --------------------------------------------------------------------------

/** The last HISTORY_LIMIT entries, newest first (the orchestrator keeps them oldest first). */
export function newestFirst(entries: readonly HistoryEntry[]): HistoryEntry[] {
  return entries.slice(-HISTORY_LIMIT).reverse();
}

export interface HistoryRow {
  key: string;
  /** "10:42" */
  when: string;
  /** "2025-01-02 10:42:03 (5 min ago)" */
  at: string;
  /** "Collection · Sync now" */
  what: string;
  /** "Synced in 1.2 s", "Skipped: automatic sync is paused" */
  result: string;
  tone: Tone;
  /** "Added/modified: 2↑ 0↓ · Removed: 0↑ 0↓", as Anki counts them */
  counts?: string;
  detail?: string;
}

/**
 * A key per entry that a newer entry never changes, so the list keeps its rows (and the page its
 * memory) as history grows: the start, the kind, and which of the entries sharing both it is.
 */
function stableKeys(entries: readonly HistoryEntry[]): string[] {
  const seen = new Map<string, number>();
  return entries.map((e) => {
    const base = `${e.startedAt}-${e.kind}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return `${base}-${n}`;
  });
}

export function historyRows(entries: readonly HistoryEntry[], now: number): HistoryRow[] {
  const keys = stableKeys(entries).slice(-HISTORY_LIMIT).reverse();
  return newestFirst(entries).map((e, i) => {
    const row: HistoryRow = {
      key: keys[i]!,
      when: clockTime(e.startedAt, now),
      at: `${timestamp(e.startedAt)} (${relativeTime(Math.min(e.startedAt, now), now)})`,
      what: words.what(e.kind, e.trigger),
      result: resultWords(e),
      tone: toneOf(e.outcome),
    };
    if (e.counts) row.counts = e.counts;
    const detail = [
      e.message ? flipnemNames(e.message) : "",
      e.serverMessage ? words.serverMessage(e.serverMessage) : "",
    ].filter(Boolean);
    if (detail.length > 0) row.detail = detail.join(" ");
    return row;
  });
}

function resultWords(e: HistoryEntry): string {
  if (e.outcome === "skipped") return words.skipped(e.skippedReason, e.kind);
  const took = duration(e.durationMs);
  // a sync at a safe point is stopped only because the user came back
  if (e.outcome === "aborted" && abortsOnInput(e.trigger)) return words.gaveWay(took);
  return e.outcome === "ok" ? words.syncedIn(took) : words.endedAfter(e.outcome, took);
}

/**
 * The history as plain text for a support request: newest first, local times with
 * the UTC offset, and the raw codes and messages (support reads Anki's exact words).
 */
export function historyAsText(entries: readonly HistoryEntry[], now: number, version?: string): string {
  const lines = newestFirst(entries).map((e) => {
    const result = e.skippedReason ? `${e.outcome} (${e.skippedReason})` : e.outcome;
    const parts = [timestamp(e.startedAt), e.kind, e.trigger, result, duration(e.durationMs)];
    if (e.counts) parts.push(`counts: ${e.counts}`);
    if (e.message) parts.push(`message: ${e.message}`);
    if (e.serverMessage) parts.push(`server: ${e.serverMessage}`);
    return parts.join(" | ");
  });
  const header = [words.historyHeader(version, timestamp(now), utcOffset(now)), words.historyColumns];
  return [...header, ...(lines.length > 0 ? lines : [words.noHistory])].join("\n") + "\n";
}

/** "+01:00" */
function utcOffset(at: number): string {
  const minutes = -new Date(at).getTimezoneOffset();
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

// ---- In step: both ways while Anki is open ------------------------------------------------

export interface InStepView {
  /** What is known to be waiting either way, and why it has not gone yet. */
  lines: string[];
  /** "Paused until 14:05." */
  paused?: string;
  /** A one-time line with a one-click way back. */
  notice?: string;
}

export function inStepView(status: Status, now: number): InStepView {
  const view: InStepView = { lines: [] };
  if (!status.signedIn) return view;
  if (status.localChanges) view.lines.push(words.localChanges(status.keepsInStep));
  if (status.waitingReason) view.lines.push(waitingWords(status.waitingReason));
  if (status.lastCheckAt !== undefined) view.lines.push(words.checked(relativeTime(status.lastCheckAt, now)));
  if (status.paused) {
    view.paused =
      status.pausedUntil !== undefined
        ? words.pausedUntil(clockTime(status.pausedUntil, now))
        : words.pausedUntilRestart;
  }
  if (status.notice === "backgroundOn") view.notice = words.backgroundOnNotice;
  return view;
}

export interface TopBarView {
  text: string;
  /** What a narrow window shows instead of `text` (screen readers hear `text`). */
  short: string;
  tip: string;
  tone: "ok" | "busy" | "waiting" | "problem" | "off";
}

/** The compact status in Anki's top bar: the state at a glance, the sidebar a click away. */
export function topBarView(status: Status, now: number): TopBarView {
  const off: TopBarView = { text: "", short: "", tip: "", tone: "off" };
  if (!status.profile) return off;
  if (!status.signedIn) {
    return status.problem?.kind === "authFailed" ? { ...topBarWords.signIn, tone: "problem" } : off;
  }
  if (status.running) return { ...topBarWords.syncing, tone: "busy" };
  if (status.problem?.kind === "fullSyncRequired") return { ...topBarWords.choose, tone: "problem" };
  if (status.problem && status.problem.kind !== "mediaFailed") return { ...topBarWords.failed, tone: "waiting" };
  if (status.paused) {
    const until = status.pausedUntil !== undefined ? clockTime(status.pausedUntil, now) : undefined;
    return { ...topBarWords.paused(until), tone: "off" };
  }
  if (status.localChanges) return { ...topBarWords.localChanges, tone: "waiting" };
  const last = status.lastCollectionSync;
  if (last?.outcome === "ok") {
    const ago = now - last.at < 60_000 ? topBarWords.now : relativeTime(last.at, now).replace(" ago", "");
    return { ...topBarWords.inStep(ago, relativeTime(last.at, now)), tone: "ok" };
  }
  return { ...topBarWords.quiet, tone: "off" };
}
