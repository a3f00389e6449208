// A profile's session: opening it (with what it saved), its settings, its account, and the
// settings migrations. Owns the session's identity (profile, account, settings, tuning) and
// the one-time line an upgrade shows.
import type { Core } from "./effects";
import { SETTINGS_VERSION } from "./defaults";
import { armLasting, cleared } from "./notices";
import { restoreState } from "./persisted";
import { keyAccepted, signedOut } from "./problems";
import { dropBackground, requestCollection, stopRetrying } from "./queue";
import { armCheck, syncPeriodicTimer } from "./schedule";
import { RETURN_AWAY_MS } from "./policy";
import { newSession, type Session } from "./state";
import type { Options } from "../protocol/generated";
import type { OrchestratorEvent, Settings } from "./types";

type EventOf<T extends OrchestratorEvent["type"]> = Extract<OrchestratorEvent, { type: T }>;

/** A new session from what the profile saved; a timed pause it saved is handed back for the pause to take up. */
export function sessionFor(e: EventOf<"profileOpened">): { session: Session; pausedUntil?: number } {
  const { pausedUntil, ...restored } = restoreState(e.state);
  const noticed = restored.noticed ?? [];
  const s: Session = {
    ...newSession(),
    ...restored,
    // signed in (again, perhaps while no page was up): no rejected key is waiting to be told
    noticed: e.signedIn ? noticed.filter((n) => n !== "authFailed") : noticed,
    localChanges: restored.changesWaitingSince !== undefined,
    // a fresh session: open, as signed in as Anki's profile says; the close and the account move it on
    phase: "open",
    signedIn: e.signedIn,
  };
  return pausedUntil === undefined ? { session: s } : { session: s, pausedUntil };
}

/** The session has begun: its settings, the input watch, the open sync and the timers. */
export function onProfileOpened(c: Core, e: EventOf<"profileOpened">): void {
  const { s } = c;
  s.profile = e.profile;
  s.user = e.user;
  s.server = e.server;
  s.settings = { ...e.settings };
  if (e.tuning) s.tuning = { ...e.tuning };
  if (e.defaults) applyFirstConnection(c, e.defaults);
  else if (e.signedIn && (e.settingsVersion ?? 1) < SETTINGS_VERSION) migrateSettings(c);
  watchInput(c);
  requestCollection(c, "open");
  syncPeriodicTimer(c, true);
  armCheck(c);
  armLasting(c);
}

/** Python's input watch, told the quiet time and how long away makes a return. */
function watchInput(c: Core): void {
  c.out.do({ type: "watchInput", quietMs: c.s.tuning.idleSeconds * 1000, returnMs: RETURN_AWAY_MS });
}

/**
 * Settings version 2: "Keep in sync while Anki is open" is on by default. Version 1 wrote
 * `false` into every signed-in profile, so a stored false was never a choice: on, once, said once.
 */
function migrateSettings(c: Core): void {
  c.s.settings = { ...c.s.settings, backgroundSync: true };
  c.out.do({ type: "saveSettings", settings: { ...c.s.settings } });
  c.s.notice = "backgroundOn";
  c.out.historyChanged = true;
}

export function onDismissNotice(c: Core): void {
  c.s.notice = undefined;
  c.out.historyChanged = true;
}

export function onSettingsChanged(c: Core, next: Settings): void {
  const { s } = c;
  const before = s.settings;
  s.settings = { ...next };
  if (s.phase !== "open") return;
  const periodicChanged =
    before.syncMedia !== next.syncMedia ||
    before.periodicMedia !== next.periodicMedia ||
    before.periodicMediaMinutes !== next.periodicMediaMinutes;
  syncPeriodicTimer(c, periodicChanged);
  if (!next.autoSync) stopRetrying(c);
  if (!next.autoSync || !next.backgroundSync) dropBackground(c);
  // a retry of what only the switch sends goes with it
  if (!next.backgroundSync && s.retryFor && c.triggers[s.retryFor].needsBackgroundSwitch) stopRetrying(c);
  // the upgrade's line goes once the user has chosen
  if (before.backgroundSync !== next.backgroundSync && s.notice === "backgroundOn") onDismissNotice(c);
  c.out.owedMayRun = true;
}

/** Options changed in the panel: the timings hold from now on, in this session. */
export function onOptionsChanged(c: Core, options: Options): void {
  const { s } = c;
  const before = s.tuning;
  const { idleSeconds, statusCheckMinutes, lastingFailureMinutes, allowMetered } = options;
  s.tuning = { idleSeconds, statusCheckMinutes, lastingFailureMinutes, allowMetered };
  if (s.phase !== "open") return;
  if (before.idleSeconds !== idleSeconds) watchInput(c);
  if (before.statusCheckMinutes !== statusCheckMinutes) armCheck(c);
  if (before.lastingFailureMinutes !== lastingFailureMinutes) armLasting(c);
  // allowed on a metered connection now: what waited for it may go
  syncPeriodicTimer(c, false);
  c.out.owedMayRun = true;
}

export function onAccountChanged(c: Core, e: EventOf<"accountChanged">): void {
  const { s } = c;
  const newAccount = e.signedIn && (!s.signedIn || e.user !== s.user || e.server !== s.server);
  s.user = e.user;
  s.server = e.server;
  if (e.signedIn) {
    if (e.defaults) applyFirstConnection(c, e.defaults);
    keyAccepted(c);
    cleared(c, "authFailed");
  } else {
    stopRetrying(c);
    signedOut(c);
  }
  if (s.phase !== "open") return;
  syncPeriodicTimer(c, false);
  armCheck(c);
  if (newAccount) requestCollection(c, "signIn");
}

/** A profile's first connection starts with config.json's defaults, before its first sync. */
function applyFirstConnection(c: Core, defaults: Settings): void {
  c.s.settings = { ...defaults };
  c.out.do({ type: "saveSettings", settings: { ...defaults } });
}
