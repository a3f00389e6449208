// Every reason not to sync, one clause each, and every rule about triggers: the one place
// a "why not" is decided. Pure functions of the session and the host's situation.
// Owns: nothing; pure.
import type { Environment, Session } from "./types";
import { CHECK_MINUTES_MIN } from "./defaults";
import { TRIGGER_TRAITS, type TriggerTable } from "./triggers";
import type { Settings, SkipReason, Trigger, Tuning } from "./types";

/** The network timeout of a sync that runs at a safe point: a stalling server never holds the collection long. */
export const SAFE_POINT_TIMEOUT_SECS = 10;

/** After a wake or the network's return, failures this long are retried without being shown (ankitects/anki#3130). */
export const HIDE_FAILURES_MS = 60_000;

/** Away from Anki (another application, or no input) this long, the user's return pulls Flipnem's changes at once. */
export const RETURN_AWAY_MS = 120_000;

/** The first idle check comes this long after the user was last there; each next one waits twice as long, up to statusCheckMinutes. */
export const FIRST_CHECK_MINUTES = 5;

export type Situation = Pick<Session, "phase" | "signedIn" | "authFailed" | "settings" | "tuning" | "problem"> &
  Pick<Environment, "paused" | "online" | "metered" | "place" | "quiet" | "active">;

/** The session and the host's situation, as the policies read them. */
export function situation(c: { readonly s: Session; readonly env: Environment }): Situation {
  return situationOf(c.s, c.env);
}

/** The fields the policies read, not a copy of the whole session. */
export function situationOf(s: Session, env: Environment): Situation {
  const { phase, signedIn, authFailed, settings, tuning, problem } = s;
  const { paused, online, metered, place, active } = env;
  // stopped because the user is back: no safe point until Anki next reports their activity
  const quiet = env.quiet && env.backAtActivity !== env.activitySeq;
  return { phase, signedIn, authFailed, settings, tuning, problem, paused, online, metered, place, quiet, active };
}

/**
 * A safe point: the deck list or a deck's overview, no dialog, Browse, Add or editor open, and no
 * keyboard or mouse input for the idle time (Undo on the overview still works until then: a sync clears it),
 * or the user has gone to another application. `waitsForQuiet` false: the place is enough (the user's return).
 */
export function whyNotSafePoint(
  x: Pick<Situation, "place" | "quiet" | "active">,
  waitsForQuiet = true,
): SkipReason | undefined {
  switch (x.place) {
    case "review":
      return "reviewing";
    case "editing":
      return "editing";
    case "dialog":
      return "dialog";
    case "other":
      return "notIdle";
  }
  return !waitsForQuiet || x.quiet || !x.active ? undefined : "typing";
}

/** The reasons an owed sync waits for by itself, without recording each time. */
export function waitsForSafePoint(why: SkipReason): boolean {
  return ["reviewing", "editing", "dialog", "notIdle", "typing"].includes(why);
}

/** A metered connection holds the syncs that can wait, unless the user allows them. */
function meteredHolds(x: Pick<Situation, "metered" | "tuning">): boolean {
  return x.metered && !x.tuning.allowMetered;
}

export function whyNotCollection(
  x: Situation,
  trigger: Trigger,
  table: TriggerTable = TRIGGER_TRAITS,
): SkipReason | undefined {
  const t = table[trigger];
  if (x.phase === "notOpen" || x.phase === "closed") return "notOpen";
  if (x.phase === "closing" && !t.closesProfile) return "closing";
  if (!x.signedIn) return x.authFailed ? "authFailed" : "signedOut";
  // The Sync button works whatever the settings say, and so does the first sync after signing in.
  if (t.startedByUser) return undefined;
  if (!x.settings.autoSync) return "off";
  // A pause covers every automatic sync, open and close included: what waits goes at the next sync.
  if (x.paused) return "paused";
  // Open is not mid-session, and close never waits for anything but a pause.
  if (!t.midSession) return undefined;
  if (x.problem?.kind === "fullSyncRequired") return "fullSyncRequired";
  if (t.needsBackgroundSwitch && !x.settings.backgroundSync) return "off";
  if (!x.online) return "offline";
  if (meteredHolds(x)) return "metered";
  // A sync locks the collection and clears undo: never under the user's hands.
  if (t.atSafePoint) return whyNotSafePoint(x, t.waitsForQuiet);
  return undefined;
}

/** The syncs run at safe points are stopped at the user's first input, with a short network timeout. */
export function abortsOnInput(trigger: Trigger): boolean {
  return TRIGGER_TRAITS[trigger].atSafePoint;
}

/** Also the sidebar's reason why no periodic media sync is coming. */
export function whyNotPeriodicMedia(x: Situation): SkipReason | undefined {
  if (x.phase === "notOpen" || x.phase === "closed") return "notOpen";
  if (x.phase === "closing") return "closing";
  if (!x.signedIn) return x.authFailed ? "authFailed" : "signedOut";
  if (!x.settings.syncMedia) return "mediaOff";
  if (!x.settings.periodicMedia || periodicMs(x.settings) === undefined) return "off";
  if (x.paused) return "paused";
  if (!x.online) return "offline";
  if (meteredHolds(x)) return "metered";
  return undefined;
}

export function periodicMs(settings: Settings): number | undefined {
  const minutes = settings.periodicMediaMinutes;
  return Number.isFinite(minutes) && minutes > 0 ? Math.round(minutes * 60_000) : undefined;
}

/** Paused, offline or metered keeps the periodic timer: each tick records why it skipped. */
export function wantsPeriodicTimer(x: Situation): boolean {
  const why = whyNotPeriodicMedia(x);
  const wanted = why === undefined || why === "paused" || why === "offline" || why === "metered";
  return wanted && periodicMs(x.settings) !== undefined;
}

/** What a refused retry does: wait for the condition to clear (silently for a safe point), or be recorded as skipped. */
export function refusedRetry(why: SkipReason): "waitQuietly" | "waitAndRecord" | "record" {
  if (waitsForSafePoint(why)) return "waitQuietly";
  if (why === "paused" || why === "offline" || why === "metered") return "waitAndRecord";
  return "record";
}

/** Silent retries are automatic syncs: only while auto sync is on, never on close. */
export function shouldRetry(x: Situation, trigger: Trigger, table: TriggerTable = TRIGGER_TRAITS): boolean {
  return x.phase === "open" && table[trigger].retried && x.signedIn && x.settings.autoSync;
}

/** Upload or download is the user's choice: asked only when they are there. */
export function asksForFullSyncChoice(
  x: Pick<Session, "phase">,
  trigger: Trigger,
  table: TriggerTable = TRIGGER_TRAITS,
): boolean {
  return table[trigger].startedByUser && x.phase === "open";
}

/** Local changes start the background countdown only when a background sync could follow. */
export function acceptsLocalChange(x: Situation): boolean {
  return x.phase === "open" && x.signedIn && x.settings.autoSync && x.settings.backgroundSync;
}

/**
 * While nobody touches Anki, checks thin out: 5, 10, 20… minutes, never longer apart than
 * statusCheckMinutes. Every check asks Flipnem, which stops a sync another device of the user
 * has under way there, so a check is worth its cost only now and then.
 */
export function checkDelayMs(tuning: Tuning, round: number): number {
  const longest = Math.max(CHECK_MINUTES_MIN, tuning.statusCheckMinutes);
  return Math.min(FIRST_CHECK_MINUTES * 2 ** Math.min(round, 20), longest) * 60_000;
}

/** The user is back after a while away: away at least this long, and back in Anki. */
export function isReturn(awayMs: number | undefined, active: boolean): boolean {
  return active && awayMs !== undefined && awayMs >= RETURN_AWAY_MS;
}

/** A failure right after a wake or the network's return is expected: retried, shown nowhere. */
export function hidesFailure(
  now: number,
  hideFailuresUntil: number,
  trigger: Trigger,
  table: TriggerTable = TRIGGER_TRAITS,
): boolean {
  return now < hideFailuresUntil && table[trigger].hidesFailures;
}

/** Failed outcomes, as a lasting-failure watch counts them. */
export function isFailure(outcome: string | undefined): boolean {
  return outcome === "networkError" || outcome === "serverError" || outcome === "failed";
}

/** Changes kept from Flipnem longer than the limit, while syncs keep failing: told once. */
export function lastingFailure(
  x: Pick<Session, "changesWaitingSince" | "lastCollectionSync" | "tuning">,
  now: number,
  timerFired: boolean,
): boolean {
  if (x.changesWaitingSince === undefined || !isFailure(x.lastCollectionSync?.outcome)) return false;
  return timerFired || now - x.changesWaitingSince >= x.tuning.lastingFailureMinutes * 60_000;
}

/** Media goes with the collection sync when it is on, except a close whose media wait was skipped. */
export function mediaAlongside(
  settings: Settings,
  trigger: Trigger,
  skipMediaWait: boolean,
  table: TriggerTable = TRIGGER_TRAITS,
): boolean {
  return settings.syncMedia && !(table[trigger].closesProfile && skipMediaWait);
}

/** The two outcomes that need the user: the sidebar is shown, once, never a dialog. */
export function revealsSidebar(outcome: string): boolean {
  return outcome === "authFailed" || outcome === "fullSyncRequired";
}

/** What Anki reports changed: notes, cards, decks, note types or tags are worth sending (reviews included). */
const LOCAL_CHANGE_KINDS: ReadonlySet<string> = new Set(["card", "note_text", "deck", "notetype", "tag"]);

export function countsAsLocalChange(kinds: readonly string[]): boolean {
  return kinds.some((k) => LOCAL_CHANGE_KINDS.has(k));
}

// ---- the settings panel's two refusals (it runs beside the orchestrator, on facts from Python) ----

/** The account is never changed under a running sync: the sync holds the key it started with. */
export function whyNotChangeAccount(busy: boolean): "busy" | undefined {
  return busy ? "busy" : undefined;
}

/** Nothing is saved while Preferences is open: it writes its own form back when it closes. */
export function whyNotSaveSettings(preferencesOpen: boolean): "prefsOpen" | undefined {
  return preferencesOpen ? "prefsOpen" : undefined;
}
