// Every reason not to sync, one clause each, and every rule about triggers: the one place
// a "why not" is decided. Pure functions of the session and the host's situation.
import type { Environment, Session } from "./state";
import type { CollectionOutcome, LastSync, Settings, SkipReason, Trigger } from "./types";

/** The user is at the keyboard for these: they may be asked to choose a full sync. */
export const USER_TRIGGERS: ReadonlySet<Trigger> = new Set(["button", "sidebar", "signIn"]);

/** Run mid-session without the user asking; repeated skips of these are not re-recorded. */
export const MID_SESSION: ReadonlySet<Trigger> = new Set(["periodic", "retry", "background"]);

/** The outcomes of a last sync that a page started again takes up: a failure to retry, a full sync still waiting. */
const RESUMED_OUTCOMES: ReadonlySet<string> = new Set(["networkError", "serverError", "failed", "fullSyncRequired"]);

export type Situation = Pick<Session, "phase" | "signedIn" | "authFailed" | "settings" | "problem"> &
  Pick<Environment, "paused" | "online" | "idle">;

/** The fields the policies read, not a copy of the whole session. */
export function situationOf(s: Session, env: Environment): Situation {
  const { phase, signedIn, authFailed, settings, problem } = s;
  const { paused, online, idle } = env;
  return { phase, signedIn, authFailed, settings, problem, paused, online, idle };
}

export function whyNotCollection(x: Situation, trigger: Trigger): SkipReason | undefined {
  if (x.phase === "notOpen" || x.phase === "closed") return "notOpen";
  if (x.phase === "closing" && trigger !== "close") return "closing";
  if (!x.signedIn) return x.authFailed ? "authFailed" : "signedOut";
  // The Sync button works whatever the settings say, and so does the first sync after signing in.
  if (USER_TRIGGERS.has(trigger)) return undefined;
  if (!x.settings.autoSync) return "off";
  // Close never loses a review; open is not mid-session.
  if (!MID_SESSION.has(trigger)) return undefined;
  if (x.problem?.kind === "fullSyncRequired") return "fullSyncRequired";
  if (trigger === "background" && !x.settings.backgroundSync) return "off";
  if (x.paused) return "paused";
  if (!x.online) return "offline";
  // A sync locks the collection and clears undo: never under the user's hands.
  if (!x.idle) return "notIdle";
  return undefined;
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
  return undefined;
}

export function periodicMs(settings: Settings): number | undefined {
  const minutes = settings.periodicMediaMinutes;
  return Number.isFinite(minutes) && minutes > 0 ? Math.round(minutes * 60_000) : undefined;
}

/** Paused or offline keeps the periodic timer: each tick records why it skipped. */
export function wantsPeriodicTimer(x: Situation): boolean {
  const why = whyNotPeriodicMedia(x);
  const wanted = why === undefined || why === "paused" || why === "offline";
  return wanted && periodicMs(x.settings) !== undefined;
}

/** What a refused retry does: wait for the condition to clear (silently for idle), or be recorded as skipped. */
export function refusedRetry(why: SkipReason): "waitQuietly" | "waitAndRecord" | "record" {
  if (why === "notIdle") return "waitQuietly";
  if (why === "paused" || why === "offline") return "waitAndRecord";
  return "record";
}

/** Silent retries are automatic syncs: only while auto sync is on, never on close. */
export function shouldRetry(x: Situation, trigger: Trigger): boolean {
  return x.phase === "open" && trigger !== "close" && x.signedIn && x.settings.autoSync;
}

/** Upload or download is the user's choice: asked only when they are there. */
export function asksForFullSyncChoice(x: Pick<Session, "phase">, trigger: Trigger): boolean {
  return USER_TRIGGERS.has(trigger) && x.phase === "open";
}

/** Local changes start the background countdown only when a background sync could follow. */
export function acceptsLocalChange(x: Situation): boolean {
  return x.phase === "open" && x.signedIn && x.settings.autoSync && x.settings.backgroundSync;
}

/** A page started again mid-session takes up a failure to retry, or a full sync still waiting. */
export function resumedOutcome(last: LastSync | undefined, signedIn: boolean): CollectionOutcome | undefined {
  if (!last || !signedIn || !RESUMED_OUTCOMES.has(last.outcome)) return undefined;
  return last.outcome as CollectionOutcome;
}

/** Media goes with the collection sync when it is on, except a close whose media wait was skipped. */
export function mediaAlongside(settings: Settings, trigger: Trigger, skipMediaWait: boolean): boolean {
  return settings.syncMedia && !(trigger === "close" && skipMediaWait);
}

/** Syncs the user waits for show Anki's own progress window, as Anki's own do. */
export function showsProgress(trigger: Trigger): boolean {
  return trigger === "open" || trigger === "close" || USER_TRIGGERS.has(trigger);
}

/** A message from Flipnem is shown in a window only on a sync the user started from a button. */
export function showsServerMessage(trigger: Trigger): boolean {
  return trigger === "button" || trigger === "sidebar";
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
